"""Operations declared once, called through either client.

An operation is a function that builds its `Call` from typed arguments; `@operation` turns
it into a descriptor that both clients inherit. On a `Client` it is a method that sends the
call and returns the decoded answer; on an `AsyncClient` the same method returns a coroutine.
Each bound operation also has `answer(...)`, which returns the whole `Answer` (value, ETag,
replayed), and a paged one `all(...)`, which walks every page, following `next_cursor`.

Adding an operation is its function with `@operation` (or `@paged(Item)` for a list) in the
module of its area; the method name is the operation's `operationId`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, overload

from reintegrate.client.calls import Call
from reintegrate.client.exchange import Answer

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Sender:
    """What a synchronous client does: send a call, retries included."""

    def send(self, call: Call[R]) -> Answer[R]:
        raise NotImplementedError


class AsyncSender:
    """What an asynchronous client does: the same, awaited."""

    async def send(self, call: Call[R]) -> Answer[R]:
        raise NotImplementedError


class Page(Protocol[T_co]):
    """A page of a list: its items and the cursor of the next page (None: the last)."""

    @property
    def items(self) -> Sequence[T_co]: ...

    @property
    def next_cursor(self) -> str | None: ...


class Bound(Generic[P, R]):
    def __init__(self, sender: Sender, build: Callable[P, Call[R]]) -> None:
        self.sender, self.build = sender, build

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.sender.send(self.build(*args, **kwargs)).value

    def answer(self, *args: P.args, **kwargs: P.kwargs) -> Answer[R]:
        return self.sender.send(self.build(*args, **kwargs))


class AsyncBound(Generic[P, R]):
    def __init__(self, sender: AsyncSender, build: Callable[P, Call[R]]) -> None:
        self.sender, self.build = sender, build

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return (await self.sender.send(self.build(*args, **kwargs))).value

    async def answer(self, *args: P.args, **kwargs: P.kwargs) -> Answer[R]:
        return await self.sender.send(self.build(*args, **kwargs))


class Operation(Generic[P, R]):
    """An operation as a class attribute of both clients (see the module's docstring)."""

    def __init__(self, build: Callable[P, Call[R]]) -> None:
        self.build = build
        self.name = build.__name__
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Operation[P, R]: ...
    @overload
    def __get__(self, obj: Sender, owner: type[Any]) -> Bound[P, R]: ...
    @overload
    def __get__(self, obj: AsyncSender, owner: type[Any]) -> AsyncBound[P, R]: ...
    def __get__(self, obj: object, owner: type[Any]) -> object:
        return self.bound_to(obj)

    def bound_to(self, obj: object) -> object:
        """The operation itself on the class; bound to a client on a client."""
        if obj is None:
            return self
        if isinstance(obj, AsyncSender):
            return self.bind_async(obj)
        if isinstance(obj, Sender):
            return self.bind(obj)
        raise TypeError(f"{self.name} is an operation of a Client or an AsyncClient")

    def bind(self, sender: Sender) -> Bound[P, R]:
        return Bound(sender, self.build)

    def bind_async(self, sender: AsyncSender) -> AsyncBound[P, R]:
        return AsyncBound(sender, self.build)


def operation(build: Callable[P, Call[R]]) -> Operation[P, R]:
    return Operation(build)


PageR = TypeVar("PageR", bound=Page[Any])


class PagedBound(Bound[P, PageR], Generic[P, PageR, T]):
    def all(self, *args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
        """Every item of every page, from `cursor` if given, else from the first page."""
        build: Callable[..., Call[PageR]] = self.build
        cursor = kwargs.get("cursor")
        while True:
            page = self.sender.send(build(*args, **{**kwargs, "cursor": cursor})).value
            yield from page.items
            if (cursor := page.next_cursor) is None:
                return


class AsyncPagedBound(AsyncBound[P, PageR], Generic[P, PageR, T]):
    async def all(self, *args: P.args, **kwargs: P.kwargs) -> AsyncIterator[T]:
        """Every item of every page, from `cursor` if given, else from the first page."""
        build: Callable[..., Call[PageR]] = self.build
        cursor = kwargs.get("cursor")
        while True:
            page = (await self.sender.send(build(*args, **{**kwargs, "cursor": cursor}))).value
            for item in page.items:
                yield item
            if (cursor := page.next_cursor) is None:
                return


class Paged(Operation[P, PageR], Generic[P, PageR, T]):
    """A list operation: bound, it also has `all(...)`, an iterator over every item."""

    def __init__(self, build: Callable[P, Call[PageR]], item: type[T]) -> None:
        super().__init__(build)
        self.item = item

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Paged[P, PageR, T]: ...
    @overload
    def __get__(self, obj: Sender, owner: type[Any]) -> PagedBound[P, PageR, T]: ...
    @overload
    def __get__(self, obj: AsyncSender, owner: type[Any]) -> AsyncPagedBound[P, PageR, T]: ...
    def __get__(self, obj: object, owner: type[Any]) -> object:
        return self.bound_to(obj)

    def bind(self, sender: Sender) -> PagedBound[P, PageR, T]:
        return PagedBound(sender, self.build)

    def bind_async(self, sender: AsyncSender) -> AsyncPagedBound[P, PageR, T]:
        return AsyncPagedBound(sender, self.build)


def paged(item: type[T]) -> Callable[[Callable[P, Call[PageR]]], Paged[P, PageR, T]]:
    """`@paged(ItemView)`: a list operation whose pages hold `ItemView`s."""
    return lambda build: Paged(build, item)
