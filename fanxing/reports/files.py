"""A published leaderboard's files (JSON, HTML, PDF, workbook): rendered once, by a background task when
it is published (`leaderboard_files_render`, on a worker in the production profile), and then served as
they are, so the public's downloads cost no rendering.

They live under MEDIA_ROOT/leaderboards/<year>/<published at>/ (the media folder that the web nodes and
workers share, docs/deployment.md). A folder is named by the publication it renders: publishing again
or withdrawing makes it stale at once (the download then renders in the request, as for an unpublished
year), and the next task removes it. Each file is written whole or not at all (`write_whole`).
"""

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

from fanxing.reports.models import Leaderboard
from fanxing.reports.renderers import FORMATS, render


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_whole(path: Path, content: bytes) -> None:
    """Write `content` beside `path` and move it into place once complete: readers see the old file or
    the new one, never part of one, and a full disk leaves nothing under the name. OSError as raised."""
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o666 & ~current_umask())  # as an ordinary new file (mkstemp makes it 0600)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise


def year_folder(year: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "leaderboards" / str(year)


def publication_folder(board: Leaderboard) -> Path | None:
    """The folder of the board's current publication; None when it is not published."""
    if board.published_at is None or board.snapshot is None:
        return None
    return year_folder(board.year) / board.published_at.strftime("%Y%m%dT%H%M%S%f")


def stored(board: Leaderboard, fmt: str) -> Path | None:
    """The file of this format rendered for the board's current publication, if it is there yet."""
    folder = publication_folder(board)
    path = None if folder is None else folder / f"leaderboard.{fmt}"
    return path if path is not None and path.is_file() else None


def leaderboard_files_render(board_id: int) -> None:
    """Render the published leaderboard's files from its snapshot, then remove the files of earlier
    publications of its year (all of them, once withdrawn). Tasks of two publications may overlap: the
    board is read again before removing, and nothing newer than its current publication is removed."""
    from fanxing.reports.report import leaderboard

    board = Leaderboard.objects.filter(pk=board_id).first()
    if board is None:
        return
    folder = publication_folder(board)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        published = leaderboard(board.year)
        for fmt in FORMATS:
            write_whole(folder / f"leaderboard.{fmt}", render(published, fmt))
    board.refresh_from_db()
    current = publication_folder(board)
    for other in year_folder(board.year).glob("*"):
        if current is None or other.name < current.name:
            shutil.rmtree(other, ignore_errors=True)
