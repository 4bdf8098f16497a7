"""Tmall specifics of the case categories (seed 001 "售后管理" ①–⑦, R-CASE-3) and the
night-shift first-response target (seed 001 售前 ④, R-SLA-1).

The core defines the categories; this plugin only *extends* their checklists
(``register(code, checklist=[…], extend=True)``): a step with the id of a core step replaces it
with the Tmall wording, other steps are inserted after the step named in ``after`` or appended.
"""

from __future__ import annotations

#: seed 001 ⑦: every case is recorded with its responsible party for the Monday meeting
MEETING = {"step": "record_for_meeting", "en": "record the details and the responsible party for Monday's meeting",
           "zh": "详实记录并分清责任方，提交主管（周一例会）"}
#: Tmall's platform customer service 小二 steps into a refund dispute: 客服介入
PLATFORM = {"step": "platform_intervention", "en": "if Tmall 客服介入 was opened: upload the evidence "
            "(chat log, waybill, photos) in the dispute before its deadline", "zh": "如已申请天猫客服介入：在时限内上传凭证"}

CHECKLISTS = {
    # ① 与想象不符: apologise, explain price/performance, then compensation, exchange or return
    "not_as_described": [
        {"step": "explain_product", "en": "explain the product's value and performance in detail",
         "zh": "详细介绍产品的性价和性能"},
        {"step": "offer_options", "en": "if that does not help: cash compensation, exchange or return",
         "zh": "无效后转入现金补偿、换货、退货流程"},
    ],
    # ② 服务不满意: read the chat log, record the fault, never point out a pretext
    "service": [
        {"step": "learn_real_wish", "en": "find out what the buyer really wants", "zh": "掌握买家真实想法",
         "after": "record_fault"},
        {"step": "no_accusation", "en": "if the buyer finds a reason to return, do not point it out: go to "
         "compensation or return", "zh": "买家找理由退换货切勿指出，转入现金补偿、退换货流程"},
    ],
    # ③ 少发货/缺货: chat log, back-office order, 拆单 split waybills, staff error → reship + coupon
    "missing_item": [
        {"step": "check_order", "en": "check the order in the back office (后台订单)", "zh": "核查后台订单"},
        {"step": "check_split_waybills", "en": "check for split-package (拆单) waybill numbers", "zh": "查是否有分包单号"},
        {"step": "ask_photos", "en": "if every record is right: ask the buyer for photos, apologise again",
         "zh": "后台信息完全正确时请买家拍照，再次致歉", "after": "check_staff_error"},
        {"step": "reship", "en": "reship the same day with a handwritten waybill (手写面单)",
         "zh": "第一时间手写面单补发"},
        {"step": "coupon", "en": "send a shop coupon (店铺优惠券) if the error was ours", "zh": "发放店铺优惠券补偿"},
    ],
    # ④ 到货延迟: find the cause, pull tracking, chase, tell the buyer before they chase
    "late_delivery": [
        {"step": "find_cause", "en": "cause: our late shipping, unclear address/contact, or the courier",
         "zh": "判断原因：发货延迟／地址联系方式不详／快递问题", "after": "apologise"},
        {"step": "tell_buyer_first", "en": "tell the buyer first and follow up: the buyer never chases twice",
         "zh": "第一时间告诉买家，主动跟进，决不让买家再三催促"},
    ],
    # ⑤ 运输破损: signed for → the on-duty agent asks for photo evidence
    "transit_damage": [
        {"step": "check_signed", "en": "check whether the buyer signed for the parcel", "zh": "确认买家是否已签收",
         "after": "apologise"},
    ],
    # ⑥ 质量问题: photos and the fault, the on-duty agent judges, apologises
    "quality": [
        {"step": "judge_fault", "en": "the on-duty agent judges the fault from the photos", "zh": "当班客服根据照片做出判断",
         "after": "photo_evidence"},
    ],
}
TMALL_CATEGORIES = ("not_as_described", "service", "missing_item", "late_delivery", "transit_damage", "quality")


def register_checklists(register) -> None:
    for code in TMALL_CATEGORIES:
        register(code, checklist=[*CHECKLISTS.get(code, []), PLATFORM, MEETING], extend=True)


def register_transitions(register) -> None:
    """The order clerk 制单客服 writes the reship waybills: they may tick checklist steps (R-CASE-3)."""
    from asx.api import WAITING_STATUSES

    for status in ("new", "open", *WAITING_STATUSES, "resolved"):
        register(status, "=", "check", ("agent", "order_clerk"))


def register_sla(register, settings) -> None:
    """Seed 001 售前 ④: the night shift answers within 1 minute (R-SLA-1), online channels."""
    minutes = settings.get("plugins.tmall.night_first_response_minutes")
    shifts = settings.get("plugins.tmall.night_shifts")
    if minutes and shifts:
        register("first_response", minutes=int(minutes), shift=list(shifts), channel=["wangwang", "chat", "platform"])
