"""The shared staff check (`Access.is_staff`): the rules that leave staff alone (heat, other
people's data) ask one place, memoised per roles tuple and never across two configs."""

from __future__ import annotations

import random
from pathlib import Path

from compass_bot.access import STAFF_CACHE, Access
from compass_bot.app import App
from compass_bot.config import RoleSettings
from compass_bot.features.heat.service import HeatService
from compass_bot.features.personal_data.service import PersonalDataService
from compass_bot.model import Member, Role
from compass_bot.refs import any_ref_matches
from tests.conftest import TEST_CONFIG, make_loaded

TEACHERS: list[int | str] = ["Docent", 111111111111111111]
MODERATORS: list[int | str] = ["Moderator"]
LEADERSHIP: list[int | str] = [222222222222222222, "Schoolleiding"]
STAFF_ROLES: list[int | str] = ["Conciërge", 333333333333333333]


def _old_is_staff(member: Member) -> bool:
    """What heat's and personal_data's `is_staff` said before the shared check."""
    refs = (TEACHERS, MODERATORS, LEADERSHIP, STAFF_ROLES)
    return any(any_ref_matches(r, rid, rname) for r in refs for rid, rname in member.roles)


def _access(**roles: list[int | str]) -> Access:
    settings = RoleSettings(
        students=["Leerling"],
        teachers=roles.get("teachers", TEACHERS),
        moderators=roles.get("moderators", MODERATORS),
        leadership=roles.get("leadership", LEADERSHIP),
    )
    return Access(settings, (), staff_roles=roles.get("staff", STAFF_ROLES))


def test_same_answers_as_the_old_checks_over_role_mixes() -> None:
    """Ids and names, names in any case, staff roles by id with a student's name and the
    other way round, no roles at all."""
    pool: list[Role] = [
        (1, "Leerling"),
        (2, "leerling"),
        (3, "DOCENT"),
        (4, "docent"),
        (111111111111111111, "Leerling"),  # a teacher by id, whatever its name
        (5, "moderator"),
        (222222222222222222, "iets"),
        (6, "schoolLEIDING"),
        (7, "conciërge"),
        (8, "CONCIËRGE"),
        (333333333333333333, "x"),
        (9, "Docenten"),  # not a configured name
        (10, "Docent "),
        (11, "Mentor"),
    ]
    access = _access()
    rng = random.Random(26)
    mixes = [()] + [tuple(rng.sample(pool, rng.randint(1, 4))) for _ in range(3000)]
    staff = 0
    for roles in mixes:
        member = Member(1, "m", roles)
        expected = _old_is_staff(member)
        assert access.is_staff(member) is expected, roles
        assert access.is_staff(member) is expected, roles  # the memoised answer too
        staff += expected
    assert 0 < staff < len(mixes)  # both answers were asked


def test_the_memo_is_per_access_and_bounded() -> None:
    """The same roles tuple under two schools' configs: each answers its own."""
    roles: tuple[Role, ...] = ((444444444444444444, "Mentor"),)
    member = Member(1, "m", roles)
    plain = _access()
    mentors = _access(staff=["mentor"])
    assert not plain.is_staff(member)
    assert mentors.is_staff(member)
    assert not plain.is_staff(member)
    by_id = _access(teachers=[444444444444444444])
    assert by_id.is_staff(member) and not plain.is_staff(member)
    for i in range(STAFF_CACHE + 50):
        plain.is_staff(Member(1, "m", ((1000 + i, "Leerling"),)))
    info = plain._staff_by_roles.cache_info()
    assert info.maxsize == STAFF_CACHE and info.currsize == STAFF_CACHE
    assert not plain.is_staff(member)


async def test_heat_and_personal_data_ask_the_shared_check(tmp_path: Path) -> None:
    config = TEST_CONFIG.replace(
        "exempt_channels: [wiskunde-3b]\n",
        "exempt_channels: [wiskunde-3b]\n  staff_roles: [Conciërge]\n",
    )
    assert "staff_roles" in config
    app = await App.create(make_loaded(tmp_path, config))
    try:
        heat, data = app[HeatService], app[PersonalDataService]
        for roles, expected in [
            (((10, "Leerling"),), False),
            (((11, "docent"),), True),
            (((12, "MODERATOR"), (10, "Leerling")), True),
            (((13, "conciërge"),), True),
            ((), False),
        ]:
            member = Member(1, "m", roles)
            assert app.access.is_staff(member) is expected, roles
            assert heat.is_staff(member) is expected, roles
            assert data.is_staff(member) is expected, roles
    finally:
        await app.close()


def test_every_refusal_is_dutch_then_english() -> None:
    """/status said "… / Only moderators …" while /overzicht and /afkoelen said Dutch only:
    the English half comes with the refusal, the feature's own or one naming the roles."""
    from compass_bot.access import Action
    from compass_bot.registry import FEATURES

    student = Member(1, "anna", ((1, "Leerling"),))
    actions = [action for feature in FEATURES for action in feature.actions]
    access = Access(RoleSettings(), actions)
    for action in actions:
        refused = access.refusal(student, action.name)
        assert refused is not None and refused.message == action.refused
        dutch, english = refused.message.split(" / ")
        assert dutch == action.refusal and english.startswith("Only ")
    by_name = {action.name: action for action in actions}
    assert by_name["digest"].refused.endswith(
        " / Only moderators and leadership can see the weekly digest."
    )
    # session 46 (a tester): "/protocol onbeantwoord" said only "Only moderators can do
    # this."; each action's English now names what it refuses, as its Dutch does
    assert by_name["unanswered"].refused.endswith(
        " / Only moderators can see the unanswered questions."
    )
    assert not [a.name for a in actions if a.refusal_en.endswith("can do this.")]
    assert Action("x", ("teacher",), "Alleen …", "Only …").refused == "Alleen … / Only …"
