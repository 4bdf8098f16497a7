"""Sample data of the daily view: the handover notes of the last week (R-CASE-10, R-ROS-2).

At 17:30 the day shift hands over to the night shift; at 23:00 the night shift leaves a note for
the next morning. Who writes to whom follows the sample roster; the text names a live case.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from asx.core.timeutil import to_epoch

DAY_NOTES = ["#{case} 买家等补发单号，晚班请跟进", "#{case} 快递已催，明早前务必回复买家",
             "#{case} 已约买家晚上八点后电话沟通", "今天差评回访两条，#{case} 买家答应修改"]
NIGHT_NOTES = ["#{case} 买家夜里发来照片，早班请核对后处理", "夜间咨询已清，#{case} 仍待仓库回复",
               "#{case} 买家要求明天上午回电"]


def sample_handovers(app, sample) -> str:
    from asx.store import cases as case_store
    from asx.store import roster as rstore

    live = [c["id"] for c in case_store.list_cases(app.store, open_only=True, limit=50)] or [1]
    n = 0
    with app.store.tx():
        for back in range(7, 0, -1):
            day = (sample.now - timedelta(days=back)).date()
            rows = [r for r in rstore.days_on(app.store, day.isoformat()) if r["mark"] == "work"]
            days = sorted(r["agent"] for r in rows if r["shift"] == "D")
            nights = sorted(r["agent"] for r in rows if r["shift"] == "N")
            if not days or not nights:
                continue
            d, night = sample.rng.choice(days), sample.rng.choice(nights)
            base = datetime(day.year, day.month, day.day, tzinfo=app.tz)
            case_store.add_handover(app.store, at=to_epoch(base + timedelta(hours=17, minutes=25)), by=d,
                            shift="D", for_agent=night,
                            text=sample.rng.choice(DAY_NOTES).format(case=sample.rng.choice(live)))
            case_store.add_handover(app.store, at=to_epoch(base + timedelta(hours=22, minutes=55)), by=night,
                            shift="N", for_agent=None,
                            text=sample.rng.choice(NIGHT_NOTES).format(case=sample.rng.choice(live)))
            n += 2
    return str(n)
