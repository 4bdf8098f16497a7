"""Built-in plugin: review tracking (R-REV) — settings, labels, the TradeRate reader, severity
rules and the sample month of reviews (step 40)."""

from __future__ import annotations

from asx import hookimpl


@hookimpl
def register_settings(register):
    register("reviews.call_windows", "time_ranges", "09:30-11:00,16:00-20:00",
             "When buyers may be phoned about a review (R-REV-5: around 10:00, or after 16:00).")
    register("reviews.no_answer_hours", "int", 48,
             "Hours without an answer after the first message before a phone call is due (R-REV-5).")
    register("reviews.sms_after_hours", "int", 4, "Hours after the 旺旺 message before the SMS is due (R-REV-5).")
    register("reviews.phone_retry_hours", "int", 24, "Hours between unanswered phone calls.")
    register("reviews.followup_hours", "int", 24,
             "Hours after a buyer answered without deciding (or after compensation) before contacting again.")
    register("reviews.promise_days", "int", 3,
             "Days a buyer's promise runs when no date is given (R-REV-3 答应修改; R-REV-6 when it passes).")
    register("reviews.stuck_hours", "int", 24,
             "A step overdue longer than this counts as stuck in the weekly report (R-REV-7).")
    register("reviews.severity_keywords", "list", ["质量", "破损", "退款", "客服", "态度", "发错", "少发"],
             "Words in a review that raise its severity by one (R-REV-4).")
    register("reviews.severe_keywords", "list", ["假货", "投诉", "欺骗", "骗子", "12315", "工商", "过敏", "维权"],
             "Words that make a review severe (3) (R-REV-4).")


@hookimpl
def register_labels(register):
    for code, en, zh, aliases in [
        ("open", "open", "未处理", ("new",)),
        ("promised", "promised", "答应修改", ()),
        ("refused", "refused", "拒绝修改", ()),
        ("awaiting_compensation", "awaiting compensation", "等待补偿后修改", ("compensation",)),
        ("revised", "revised", "已删除/修改", ("deleted", "已删除", "已修改")),
    ]:
        register("review_progress", code, en, zh, aliases=aliases)
    for code, en, zh, aliases in [
        ("wangwang", "旺旺 message", "旺旺留言", ("ww", "旺旺", "wangwang_message")),
        ("sms", "SMS", "短信", ("text", "sms_sent")),
        ("phone", "phone call", "电话", ("call", "phoned")),
    ]:
        register("contact_via", code, en, zh, aliases=aliases)
    for code, en, zh in [
        ("wangwang", "send 旺旺 message", "旺旺留言(带删除链接)"),
        ("sms", "send SMS", "发送短信"),
        ("phone", "phone the buyer", "电话沟通"),
        ("compensate", "pay compensation", "支付补偿"),
    ]:
        register("review_step", code, en, zh)
    for code, en, zh in [
        ("wangwang", "旺旺 message left", "已旺旺留言"),
        ("sms", "SMS sent", "已发送短信"),
        ("phone", "phoned", "已电话沟通"),
    ]:
        register("review_handling", code, en, zh)  # R-REV-2 handling status (from the last contact)
    for code, en, zh, aliases in [
        ("no_answer", "no answer", "未回复", ("none", "无响应")),
        ("answered", "answered", "已回复", ("replied",)),
        ("promised", "promised", "答应修改", ()),
        ("refused", "refused", "拒绝修改", ()),
    ]:
        register("contact_result", code, en, zh, aliases=aliases)
    register("review_result", "neutral", "neutral", "中评", aliases=("中",))
    register("review_result", "negative", "negative", "差评", aliases=("bad", "差"))


@hookimpl
def register_review_importers(register):
    from asx.reviews.importer import TRADERATE

    register(TRADERATE)


@hookimpl
def register_review_severity_rules(register):
    from asx.reviews import severity

    register("result", severity.rule_result)
    register("keywords", severity.rule_keywords)


@hookimpl
def register_sample(register):
    from asx.reviews.sample import sample_reviews

    register(40, "reviews", sample_reviews)


@hookimpl
def register_nightly_jobs(register):
    from asx.reviews.queue import nightly_review_queue

    register(30, "review-queue", nightly_review_queue)
