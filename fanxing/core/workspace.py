"""The workspace's to-do list (工作台 · 待办): each app says what a user has to do there with a function of
the user, registered when the app is ready (`register`), and the workspace lists them together, so core
knows no app's models. A to-do names what, how many (`count`; one thing of its own when `single`), and the
page where it is done."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    single: bool = False


Provider = Callable[[Any], list[Todo]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    """Add an app's to-dos (once, however often the app is made ready)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def todos(user: Any) -> list[Todo]:
    """Everything this signed-in user has to do, in the order the apps were registered; none with 0."""
    return [todo for provider in PROVIDERS for todo in provider(user) if todo.count]
