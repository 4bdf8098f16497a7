"""iCalendar (RFC 5545) export of a roster: one VEVENT per shift segment.

UIDs are stable (hash of agent, date, shift, segment index) so a re-exported
roster updates events in a calendar instead of duplicating them.  Times carry
``DTSTART;TZID=…`` with a VTIMEZONE for fixed-offset zones such as
Asia/Shanghai; lines end in CRLF and are folded at 75 octets.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from asx.roster.model import LEAVE, Roster, ShiftType

PRODID = "-//asx//roster//EN"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line at 75 octets (never inside a UTF-8 character)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, cur, limit = [], b"", 75
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > limit:
            parts.append(cur.decode("utf-8"))
            cur, limit = b"", 74  # continuation lines start with a space
        cur += b
    parts.append(cur.decode("utf-8"))
    return "\r\n ".join(parts)


def uid(agent: str, day, shift: str, index: int, domain: str = "asx") -> str:
    h = hashlib.sha1(f"{agent}|{day.isoformat()}|{shift}|{index}".encode()).hexdigest()[:20]
    return f"{h}@{domain}"


def _vtimezone(tz: str, when: datetime) -> list[str]:
    off = ZoneInfo(tz).utcoffset(when) or timedelta(0)
    mins = int(off.total_seconds() // 60)
    sign = "+" if mins >= 0 else "-"
    text = f"{sign}{abs(mins) // 60:02d}{abs(mins) % 60:02d}"
    return ["BEGIN:VTIMEZONE", f"TZID:{tz}", "BEGIN:STANDARD", "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{text}", f"TZOFFSETTO:{text}", f"TZNAME:{tz.split('/')[-1]}", "END:STANDARD",
            "END:VTIMEZONE"]


def to_ics(roster: Roster, shifts: Iterable[ShiftType], *, tz: str = "Asia/Shanghai",
           dtstamp: datetime | None = None, calname: str = "asx roster") -> str:
    """The whole calendar as one string with CRLF line ends."""
    by_id = {s.id: s for s in shifts}
    zone = ZoneInfo(tz)
    stamp = (dtstamp or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(calname)}"]
    lines += _vtimezone(tz, datetime.combine(roster.start, time(12), zone))
    for d in roster.dates:
        for agent in roster.agents:
            sid = roster.get(agent, d)
            if sid is None or sid == LEAVE or sid not in by_id:
                continue
            sh = by_id[sid]
            label = " / ".join(x for x in (sh.label_zh, sh.label_en or sh.id) if x)
            for k, seg in enumerate(sh.segments):
                start = datetime.combine(d, time(0), zone) + timedelta(minutes=seg.start_min)
                end = datetime.combine(d, time(0), zone) + timedelta(minutes=seg.end_min)
                lines += [
                    "BEGIN:VEVENT",
                    f"UID:{uid(agent, d, sid, k)}",
                    f"DTSTAMP:{stamp}",
                    f"DTSTART;TZID={tz}:{start.strftime('%Y%m%dT%H%M%S')}",
                    f"DTEND;TZID={tz}:{end.strftime('%Y%m%dT%H%M%S')}",
                    f"SUMMARY:{_escape(f'{agent} {label} ({sid})')}",
                    f"DESCRIPTION:{_escape(f'{agent}: {sid} segment {k + 1}/{len(sh.segments)} {seg}')}",
                    "END:VEVENT",
                ]
    lines.append("END:VCALENDAR")
    return "".join(fold(x) + "\r\n" for x in lines)
