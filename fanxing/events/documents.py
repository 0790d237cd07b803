"""A participant's agenda as a printable PDF (reportlab, Chinese in its built-in CID font STSong-Light, no
font file needed) and as an iCalendar file (one VEVENT per meeting) for their calendar."""

import io

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fanxing.events.models import Event, Meeting, Registration

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _hm(moment: object) -> str:
    return timezone.localtime(moment).strftime("%H:%M")  # type: ignore[arg-type]


def agenda_pdf(event: Event, registration: Registration, meetings: list[Meeting]) -> bytes:
    """One A4 page (or more) with the event, the participant and their meetings slot by slot."""
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12)
    starts = timezone.localtime(event.starts_at)
    story = [
        Paragraph(f"{event.title}　洽谈日程", title),
        Spacer(1, 3 * mm),
        Paragraph(f"参会机构：{registration.organisation}　参会人：{registration.person}", body),
        Paragraph(f"时间：{starts:%Y-%m-%d %H:%M}　地点：{event.place or event.online_url}", body),
        Spacer(1, 5 * mm),
    ]
    rows = [[Paragraph(h, cell) for h in ("时段", "时间", "桌号", "洽谈对象", "洽谈内容")]]
    for m in meetings:
        about = "；".join(r.title for r in (m.demand, m.achievement) if r is not None) or "预约洽谈"
        rows.append(
            [
                Paragraph(str(m.slot + 1), cell),
                Paragraph(f"{_hm(event.slot_start(m.slot))}–{_hm(event.slot_end(m.slot))}", cell),
                Paragraph(str(m.table), cell),
                Paragraph(str(m.other(registration).organisation), cell),
                Paragraph(about, cell),
            ]
        )
    if not meetings:
        rows.append([Paragraph("暂无洽谈安排", cell), "", "", "", ""])
    table = Table(rows, colWidths=[14 * mm, 26 * mm, 14 * mm, 50 * mm, 66 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, title=f"{event.title} 洽谈日程", leftMargin=15 * mm, rightMargin=15 * mm
    ).build(story)
    return out.getvalue()


def agenda_ics(event: Event, registration: Registration, meetings: list[Meeting]) -> bytes:
    """The event itself and each meeting as calendar entries (UIDs stable, so a re-import updates them)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Fanxing//events//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.title} · {registration.organisation}")
    host = settings.FANXING_SITE_URL.split("//")[-1]
    whole = CalendarEvent()
    whole.add("uid", f"event-{event.pk}@{host}")
    whole.add("summary", event.title)
    whole.add("dtstart", event.starts_at)
    whole.add("dtend", event.ends_at)
    whole.add("location", event.place or event.online_url)
    whole.add("url", f"{settings.FANXING_SITE_URL}{event.get_absolute_url()}")
    whole.add("dtstamp", timezone.now())
    calendar.add_component(whole)
    for m in meetings:
        entry = CalendarEvent()
        other = m.other(registration).organisation
        entry.add("uid", f"meeting-{m.pk}-{registration.pk}@{host}")
        entry.add("summary", f"洽谈：{other}（{m.table} 号桌）")
        entry.add("dtstart", event.slot_start(m.slot))
        entry.add("dtend", event.slot_end(m.slot))
        entry.add("location", f"{event.place or event.online_url} · {m.table} 号桌")
        about = "；".join(r.title for r in (m.demand, m.achievement) if r is not None)
        entry.add("description", about or "预约洽谈")
        entry.add("dtstamp", timezone.now())
        calendar.add_component(entry)
    return calendar.to_ical()
