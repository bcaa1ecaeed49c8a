"""Who a post is aimed at, who needles whom, who is in on the joke, and an objection ignored:
the reading of the window's address that the episode (`rules_window`) weighs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Final, Protocol

from compass_bot.features.heat.rules_index import IMPLICIT_S, explicit_targets
from compass_bot.features.heat.rules_lexicon import MAX_WEIGHT

if TYPE_CHECKING:
    from compass_bot.features.heat.rules_model import HeatModel
    from compass_bot.features.heat.rules_signals import PostSignals
    from compass_bot.features.heat.rules_window import Post

_IGNORED_S: Final = 180.0
_NEEDLES: Final = 2
_THREATS: Final = frozenset({"threat", "self-harm-wish"})
_CROWD: Final = 4  # members posting once each, to nobody: a crowd (as the model's x:authors4)


def targets_of(post: Post, previous: Sequence[Post]) -> tuple[frozenset[int], bool]:
    """Whom a post is aimed at, and whether explicitly (reply/mention) or by the flow."""
    explicit = explicit_targets(post)
    if explicit:
        return explicit, True
    for earlier in reversed(previous):
        if (post.at - earlier.at).total_seconds() > IMPLICIT_S:
            break
        if earlier.author != post.author:
            return frozenset({earlier.author}), False
    return frozenset(), False


def laughing_along(posts: Sequence[Post]) -> set[int]:
    """The members who answered one who addressed them (a reply, a mention or "je/jij")
    laughing, without hostile words, an objection or a jab back (a laugh that addresses is
    mockery), and have not since hit back in earnest or asked to stop: in on the joke."""
    members: set[int] = set()
    addressed_by: dict[int, set[int]] = {}
    for index, post in enumerate(posts):
        s = post.signals
        targets, explicit = targets_of(post, posts[:index])
        if s.laugh and not s.objects and not s.hostile and not s.aimed:
            if targets & addressed_by.get(post.author, set()):
                members.add(post.author)
        elif s.objects or (s.hostile and not s.laugh):
            members.discard(post.author)
        if explicit or s.aimed:
            for target in targets:
                addressed_by.setdefault(target, set()).add(post.author)
    return members


def answering_back(posts: Sequence[Post], since: datetime) -> set[int]:
    """The members who, from `since` on, answered one who addressed them with a comeback at
    that member (in the second person: "en jij ..."; a bare "ok" in reply is no comeback),
    without hostile words or an objection, and have not since hit back in earnest or asked to
    stop: a roast answered in kind, the tone carried by the reply rather than by emoji."""
    members: set[int] = set()
    addressed_by: dict[int, set[int]] = {}
    for index, post in enumerate(posts):
        s = post.signals
        targets, explicit = targets_of(post, posts[:index])
        if s.objects or s.protests or (s.hostile and not s.laugh):
            members.discard(post.author)
        elif post.at >= since and s.aimed and targets & addressed_by.get(post.author, set()):
            members.add(post.author)
        if explicit or s.aimed:
            for target in targets:
                addressed_by.setdefault(target, set()).add(post.author)
    return members


def playing_along(
    posts: Sequence[Post],
    since: datetime,
    members: Iterable[int],
    aimed_at: Sequence[frozenset[int]] | None = None,
) -> bool:
    """Whether each of `members` has their latest say from `since` on in play: a laugh (a
    laughing jab too, but no objection) or a comeback at one who addressed them ("en jij ..."),
    nothing earnest after it (hostile words written straight, a request to stop). When everyone
    in an episode is, the rough words are a game all sides play, not a fight. Read from the
    newest post back, so a member's straight jab ends it at once (the common case in a fight).
    `aimed_at`: each post's `targets_of`, when the caller has them (not read again)."""

    def aimed(index: int) -> frozenset[int]:
        if aimed_at is not None:
            return aimed_at[index]
        return targets_of(posts[index], posts[:index])[0]

    def addressed(member: int, by: frozenset[int], before: int) -> bool:
        """Whether one of `by` addressed `member` before post `before`."""
        for index in range(before):
            q = posts[index]
            if (
                q.author in by
                and (q.signals.aimed or explicit_targets(q))
                and member in aimed(index)
            ):
                return True
        return False

    for member in members:
        in_play = False
        for index in range(len(posts) - 1, -1, -1):
            post = posts[index]
            if post.at < since:
                break
            if post.author != member:
                continue
            s = post.signals
            if s.protests or s.objects or (s.hostile and not s.laugh):
                break
            if s.laugh:
                in_play = True
                break
            if s.aimed:
                targets = aimed(index)
                if targets and addressed(member, targets, index):
                    in_play = True
                    break
        if not in_play:
            return False
    return True


class Aimed(Protocol):
    """A post with whom it is aimed at (`targets_of`), as the episode's turns keep it."""

    @property
    def post(self) -> Post: ...
    @property
    def targets(self) -> frozenset[int]: ...


def everyone_in(turns: Sequence[Aimed], since: datetime, members: set[int]) -> bool:
    """Everyone in an episode (two or more: who jabbed and who was hit) is in on it: each
    one's latest say since it opened laughs or answers in kind (`playing_along`)."""
    if len(members) < 2:
        return False
    posts = [t.post for t in turns]
    return playing_along(posts, since, members, [t.targets for t in turns])


def calm_answer(post: Post, hostile: Sequence[Aimed], previous: Sequence[Post] = ()) -> bool:
    """Whether `post` is a calm answer by a member one of the `hostile` turns before it aimed
    at: no hostile word, no request to stop, no laugh (a laugh cools already) and not read hot
    by the model. It adds no heat of its own, so it should not trip the nudge: the level it
    carries is the turns before it, and the next post decides. Friends answer a jab with a
    retort or a plan and the heat fades; in a fight the next jab comes one post later.
    `previous`: the post before it, if any; when that is the last hostile turn and by the same
    author, a calm post of theirs ("oke 5 min") is no answer either: nobody has answered yet."""
    s = post.signals
    if s.hostile or s.insult or s.curse or s.objects or s.protests or s.laugh:
        return False
    if post.learned is not None and post.learned >= 0.0:
        return False
    last = previous[-1] if previous else None
    if hostile and hostile[-1].post is last and last.author == post.author:
        return True  # the jabber goes on calmly before anyone answered
    return any(post.author in t.targets and t.post.author != post.author for t in hostile)


def attackers_of(member: int, edges: dict[tuple[int, int], float]) -> set[int]:
    """The members with a hostile turn at `member` (`edges`: attacker, target -> score)."""
    return {a for (a, b) in edges if b == member}


def jest(signals: PostSignals) -> bool:
    """A threat and nothing else, not meant (no time or place): laughing at it takes it as the
    figure of speech it is between friends, not as joining an attack."""
    kinds = signals.kinds
    return bool(kinds) and signals.insult < MAX_WEIGHT and _THREATS.issuperset(kinds)


def demand(signals: PostSignals) -> bool:
    """A request backed by a threat ("verwijder dat of ik kom je halen", "ik meen het, ik sla je
    kapot"): the threat's emphasis, not a member asking the discussion to stop."""
    return not _THREATS.isdisjoint(signals.kinds)


def crowd(posts: Sequence[Post]) -> bool:
    """Four or more members who each posted once, and nobody replies, mentions or says "je": a
    crowd (a class posting at once), whatever words the model reads in it; a discussion needs
    someone to speak twice or to someone."""
    authors = {p.author for p in posts}
    if len(authors) != len(posts) or len(posts) < _CROWD:
        return False
    return not any(p.reply_to is not None or p.mentions or p.signals.aimed for p in posts)


def _needles(post: Post) -> bool:
    """Addressing, laughing or hostile; an objection counts only when written laughing (an
    echo of it that mocks it)."""
    s = post.signals
    aimed = s.aimed or s.laugh or s.hostility > 0.0 or bool(post.mentions)
    return aimed and not (s.objects and not s.laugh)


def _needles_at(post: Post, member: int, earlier: Sequence[Post], needlers: set[int]) -> bool:
    """Whether `post` needles `member`: aimed at them (reply, mention or the flow), or laughing
    along with someone who needled them."""
    if post.author == member or not _needles(post):
        return False
    targets, _ = targets_of(post, earlier)
    return member in targets or (post.signals.laugh and bool(targets & needlers))


def _needled_by(member: int, posts: Sequence[Post], at: datetime) -> set[int]:
    """The distinct members whose posts before `at` (within the span) needle `member`."""
    needlers: set[int] = set()
    for index, q in enumerate(posts):
        if (at - q.at).total_seconds() <= _IGNORED_S and _needles_at(
            q, member, posts[:index], needlers
        ):
            needlers.add(q.author)
    return needlers


def ignored_objection(posts: Sequence[Post]) -> tuple[Post, frozenset[int]] | None:
    """An earnest "stop" (in words, not laughing) by a member at least two others needled, or by
    a bystander for such a member, and someone goes on needling that member: the objection and
    the members it is about (who needled, who went on, and a bystander's needled member)."""
    for index, post in enumerate(posts):
        s = post.signals
        if not s.protests or s.laugh:
            continue
        objector = post.author
        before = posts[:index]
        needled = objector
        needlers = _needled_by(objector, before, post.at)
        if len(needlers) < _NEEDLES:
            # a bystander asking to stop for the member the others needle (not one of them)
            members = {t for k, q in enumerate(before) for t in targets_of(q, before[:k])[0]}
            members.discard(objector)
            counts = {m: _needled_by(m, before, post.at) for m in members}
            victims = [m for m, by in counts.items() if len(by) >= _NEEDLES and objector not in by]
            if not victims:  # one member's remark answered is a disagreement
                continue
            needled = max(victims, key=lambda m: len(counts[m]))
            needlers = counts[needled] | {needled}
        # a later post itself needling that member: one who needled goes on, or anyone
        # laughs at the objection or answers it needling
        going_on = frozenset(
            q.author
            for after, q in enumerate(posts[index + 1 :], start=index + 1)
            if (q.at - post.at).total_seconds() <= _IGNORED_S
            and _needles_at(q, needled, posts[:after], set())
        )
        if going_on:
            return post, going_on | needlers
    return None


def mocked(posts: Sequence[Post]) -> set[int]:
    """The members several others laugh AT in `posts`: named by two or more members (a mention
    or a reply, laughing or hostile, or laughing along with one who named them) while they
    neither laugh along, answer in kind, nor jab anyone themselves. The target of a pile-on
    often stays silent or is not in the channel at all, so the flow (the last other author) points at another
    attacker; only the name shows whom it is about. Laughing at a silent member is mockery,
    not the banter of friends who roast each other."""
    named_by: dict[int, set[int]] = {}
    last_named: dict[int, frozenset[int]] = {}  # per author, whom their last jab named
    quiet: dict[int, frozenset[int]] = {}  # per author, whom a plain remark named
    answered: set[int] = set()  # members named who laughed along or answered back since
    for index, post in enumerate(posts):
        s = post.signals
        author = post.author
        explicit = explicit_targets(post)
        # laughing along, addressing someone, or a reply to one who named them ("zegt de meid
        # die ..."): in the roast, unless asking to stop
        if (
            author in named_by
            and (s.laugh or s.aimed or explicit & named_by[author])
            and not (s.objects or s.protests)
        ):
            answered.add(author)
        along = s.laugh and not s.objects and not s.aimed
        if along:
            # a bare laugh goes with the latest jab (by another member) within the span,
            # however slowly the channel runs
            jabs = {**quiet, **last_named} if quiet else last_named
            targets = explicit or _latest_jabber(post, posts[:index], jabs)
            along = any(t in jabs for t in targets)
            for attacker in targets:  # laughing with one who named someone joins them
                for target in jabs.get(attacker, frozenset()) - {author}:
                    named_by.setdefault(target, set()).add(author)
        if explicit and not along and (s.laugh or s.hostile):
            last_named[author] = explicit
            for target in explicit:
                named_by.setdefault(target, set()).add(author)
        elif explicit and not along and not (s.objects or s.protests) and author not in named_by:
            # a plain remark naming a member ("bo kan niet eens een bal raken"): the laughs
            # that follow go with it, though it names nobody as a jab itself
            quiet[author] = explicit
    # one who jabbed others (laughing or hostile) is in the roast, not its silent target
    return {
        m
        for m, by in named_by.items()
        if len(by - {m}) >= _NEEDLES and m not in answered and m not in last_named
    }


def _latest_jabber(
    post: Post, earlier: Sequence[Post], jabbers: dict[int, frozenset[int]]
) -> frozenset[int]:
    """The author of the latest post (within `_IGNORED_S`) by another member who has named
    someone in a jab and names someone in it: whom a bare laugh goes with."""
    for q in reversed(earlier):
        if (post.at - q.at).total_seconds() > _IGNORED_S:
            break
        if q.author != post.author and q.author in jabbers and explicit_targets(q):
            return frozenset({q.author})
    return frozenset()


# The lexicon's words alone nudge only where the learned model's evidence over the last posts
# is at least this: friends' rough banter ("ik sloop je", "huil maar", a "je moeder" joke) has
# a fight's words, and the model, which reads the whole post and who answers whom, reads it as
# fun. Chosen in session 46 over the sets the model was not trained on (heat_blind39..62):
# calm or banter nudged 60 -> 37 of 880, heated in time 711 -> 711 of 800 (never 25 -> 30).
WORDS_NEED_EVIDENCE: Final = 0.5
# an objection ("stop", "doe normaal") or a post that wishes someone dead or exposes them:
# the words decide whatever the model reads
_WORDS_DECIDE_KINDS: Final = frozenset({"self-harm-wish", "exposure"})


def model_reads_fun(reason: str, posts: Sequence[Post], model: HeatModel) -> bool:
    """Whether the lexicon's episode (its `reason`) gives way to the learned model: its
    evidence over the last posts is under `WORDS_NEED_EVIDENCE` and nobody objected or wished
    anyone dead or exposed them (`rules_window.assess` then asks the model alone)."""
    codes, _, kinds = reason.partition(": ")
    if "objection" in codes or not _WORDS_DECIDE_KINDS.isdisjoint(kinds.split(",")):
        return False
    if any(p.signals.hostility >= MAX_WEIGHT for p in posts):
        return False  # the lexicon's strongest words: a threat with a time or place, nudes
    scores = [p.learned for p in posts if p.learned is not None]
    return model.evidence(scores) < WORDS_NEED_EVIDENCE
