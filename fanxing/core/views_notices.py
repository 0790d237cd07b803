"""站内通知: a person's notices, newest first; opening the page marks them read."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from fanxing.core.models import Notice
from fanxing.core.rendering import paginate, render_page


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    mine = Notice.objects.filter(user=request.user)
    page = paginate(request, mine)
    unread = [n.pk for n in page if n.read_at is None]
    response = render_page(
        request, "core/notices.html", {"page": page, "unread": set(unread), "section": "notices"}
    )
    Notice.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response
