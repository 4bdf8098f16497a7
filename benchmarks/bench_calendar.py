"""Print timings of the service calendar and masking hot paths (not asserted anywhere).

Run: python benchmarks/bench_calendar.py
"""

import re
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from asx.io.masking import mask_text
from asx.core.calendar import ServiceCalendar
from asx.core.timeutil import get_tz


def bench(label, func, n):
    t0 = time.perf_counter()
    for i in range(n):
        func(i)
    dt = time.perf_counter() - t0
    print(f"{label}: {n} calls, {dt * 1e6 / n:.1f} µs/call")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from gen import bench as line

    line("calendar_" + "_".join(re.sub(r"[^a-z0-9]+", " ", label.lower().split(",")[0]).split()), dt * 1e3 / n, "ms")


def main():
    sh = get_tz("Asia/Shanghai")
    cal = ServiceCalendar()
    base = datetime(2026, 1, 1, 9, 17, tzinfo=sh)
    bench(
        "service_minutes_between, 30-day span, 2 pauses",
        lambda i: cal.service_minutes_between(
            base + timedelta(minutes=i), base + timedelta(days=30, minutes=i),
            paused=[(base + timedelta(days=2), base + timedelta(days=3)), (base + timedelta(days=10), None)],
        ),
        10_000,
    )
    bench("add_service_minutes(24h)", lambda i: cal.add_service_minutes(base + timedelta(minutes=7 * i), 1440), 10_000)
    bench("add_working_days(3)", lambda i: cal.add_working_days(base + timedelta(hours=i), 3), 10_000)
    bench("is_working_day (cached)", lambda i: cal.is_working_day(base.date() + timedelta(days=i % 365)), 100_000)
    text = "买家13812345678 邮箱 rimu@qq.com，卡号6222021234567890，" * 5
    bench("mask_text, 5 phones/emails/cards", lambda i: mask_text(text), 10_000)


if __name__ == "__main__":
    main()
