"""Sample data of the onsite plugin for `asx init --sample --store onsite`: installed units of four
models, a month of warranty and paid on-site repairs — dispatches, visits with fault codes and
parts, two repeat faults, quotes charged into the ledger, follow-up visits with scores — and
today's open ones (one waiting for dispatch)."""

from __future__ import annotations

from datetime import timedelta

MODELS = ["RZ-100 温控仪", "RZ-300 数据采集器", "RZ-500 工控主机", "RZ-700 UPS电源"]
CUSTOMERS = ["华东仪表厂", "宏达机械", "新星电子", "瑞丰化工", "金桥物流", "安泰制药"]
FAULTS = {"E01": ("电源模块",), "E02": ("主板",), "E03": ("风扇",), "E04": ("通讯模块",), "E05": ("显示屏",)}
SUMMARIES = {"E01": "设备无法开机", "E02": "运行中死机重启", "E03": "风扇异响，机箱过热", "E04": "数据上传中断",
             "E05": "屏幕花屏"}


def sample_onsite(app, sample):
    if sample.store_kind != "onsite":
        return None
    from asx.api import act_on_case, add_ledger_entry, list_agents, open_case, to_epoch
    from asx_onsite import store as onsite_store

    rng = sample.rng
    agents = [a["name"] for a in list_agents(app) if a["role"] == "agent"] or ["李主管"]
    # engineers are people of the team with an engineer role (issue 16 item 10), not free text
    roles = app.config.get("plugins.onsite.engineer_roles") or ["specialist"]
    engineers = [a["name"] for a in list_agents(app) if a["role"] in roles][:2] or agents[:1]
    now = sample.now.replace(microsecond=0)
    today = now.date()
    units = []
    with app.store.tx():
        for i in range(12):
            model = MODELS[i % len(MODELS)]
            installed = today - timedelta(days=rng.randrange(90, 700))
            serial = f"RZ{model[3]}-{installed.year}-{i + 1:04d}"
            onsite_store.add_unit(app.store, {"serial": serial, "model": model, "buyer": CUSTOMERS[i % len(CUSTOMERS)],
                                     "installed_on": installed.isoformat(),
                                     "warranty_until": (installed + timedelta(days=364)).isoformat(),
                                     "created_at": to_epoch(sample.start)})
            units.append(onsite_store.unit(app.store, serial))
        warranty = [u for u in units if u["warranty_until"] >= today.isoformat()]
        paid = [u for u in units if u["warranty_until"] < today.isoformat()]
        plan = []
        for k in range(16):
            u = rng.choice(warranty if k % 4 else (paid or warranty))
            plan.append((u, rng.choice(list(FAULTS)), now - timedelta(days=26 - k * 1.5, hours=rng.randrange(0, 5))))
        # two repeat faults: the same fault on the same unit a few days after its repair
        plan.append((plan[2][0], plan[2][1], plan[2][2] + timedelta(days=6)))
        plan.append((plan[5][0], plan[5][1], plan[5][2] + timedelta(days=9)))
        plan.sort(key=lambda p: p[2])
        stats = {"cases": 0, "visits": 0, "repeats": 0, "charged": 0, "followups": 0}
        for u, fault, opened in plan:
            opened = opened.replace(hour=rng.randint(9, 16), minute=rng.choice([0, 15, 30, 45]), second=0)
            agent = rng.choice(agents)
            cat = "onsite_warranty" if u["warranty_until"] >= opened.date().isoformat() else "onsite_paid"
            cid = open_case(app, {"category": cat, "channel": "phone", "buyer": u["buyer"],
                                  "summary": f"{u['model']} {SUMMARIES[fault]}", "agent": agent},
                            at=opened, by=agent)
            stats["cases"] += 1
            t = opened + timedelta(minutes=rng.choice([20, 45, 90, 150]))
            act_on_case(app, cid, "respond", at=t, by=agent, note="已电话了解故障现象")
            eng = rng.choice(engineers)
            t += timedelta(hours=rng.choice([1, 3, 6, 10]))
            act_on_case(app, cid, "dispatch", at=t, by=agent, note=f"派工程师 {eng}", data={"engineer": eng},
                        meets=["dispatch"])
            onsite_store.add_dispatch(app.store, {"case_id": cid, "engineer": eng, "at": to_epoch(t), "by": agent,
                                         "note": None})
            arrived = t + timedelta(hours=rng.choice([2, 5, 14, 26]))
            done = arrived + timedelta(minutes=rng.choice([40, 90, 150]))
            if done > now:
                continue
            prev = onsite_store.earlier_repair(app.store, u["serial"], fault, to_epoch(arrived))
            vid = onsite_store.add_visit(app.store, {"case_id": cid, "engineer": eng, "serial": u["serial"], "fault_code": fault,
                                            "arrived_at": to_epoch(arrived), "done_at": to_epoch(done),
                                            "parts": list(FAULTS[fault]), "fixed": 1,
                                            "repeat_of": prev["id"] if prev else None, "note": None,
                                            "at": to_epoch(done), "by": agent})
            stats["visits"] += 1
            stats["repeats"] += prev is not None
            act_on_case(app, cid, "visit", at=done, by=agent, note=f"{eng} 上门 {u['serial']} {fault}",
                        data={"visit": vid, "engineer": eng, "serial": u["serial"], "fault": fault},
                        meets={"on_site": to_epoch(arrived)})
            if cat == "onsite_paid":
                onsite_store.add_quote(app.store, {"case_id": cid, "serial": u["serial"], "parts_fen": 32000,
                                          "labour_fen": 15000, "note": "成本价", "at": to_epoch(done), "by": agent})
                act_on_case(app, cid, "check", at=done, by=agent, step="quote_given")
                act_on_case(app, cid, "check", at=done, by=agent, step="quote_accepted")
                lid = add_ledger_entry(app, at=to_epoch(done), amount_fen=47000, direction="in",
                                       reason="repair_charge", agent=agent, case_id=cid, channel="bank",
                                       note=f"维修费_{agent}", created_by=agent)
                onsite_store.set_quote_ledger(app.store, onsite_store.last_quote(app.store, cid)["id"], lid)
                stats["charged"] += 1
            act_on_case(app, cid, "resolve", at=done + timedelta(minutes=10), by=agent, resolution="repair",
                        party="supplier" if cat == "onsite_warranty" else "buyer")
            act_on_case(app, cid, "respond", at=done + timedelta(minutes=30), by=agent, note="已告知客户维修结果")
            fu = done + timedelta(days=rng.choice([1, 2, 3]))
            if fu > now:
                continue
            score = rng.choice([5, 5, 4, 4, 3]) if prev is None else 2
            act_on_case(app, cid, "followup", at=fu, by=agent, note="回访：设备运行正常" if score > 2 else "回访：同一故障又出现",
                        data={"score": score})
            act_on_case(app, cid, "rate", at=fu, by=agent, score=score)
            onsite_store.add_followup(app.store, {"case_id": cid, "at": to_epoch(fu), "by": agent, "score": score,
                                         "note": None})
            stats["followups"] += 1
        # today: a new warranty case nobody has dispatched yet
        u = warranty[0] if warranty else units[0]
        open_case(app, {"category": "onsite_warranty", "channel": "phone", "buyer": u["buyer"],
                        "summary": f"{u['model']} 设备无法开机", "agent": agents[0]},
                  at=now - timedelta(hours=1), by=agents[0])
        stats["cases"] += 1
    return (f"{len(units)} units, {stats['cases']} on-site cases, {stats['visits']} visits "
            f"({stats['repeats']} repeat faults), {stats['charged']} charged, {stats['followups']} follow-ups")
