"""Storage: migrations, atomic steps, history queries, deletion, SQLite pragmas; PostgreSQL when available."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from interviewer.bank import Kind
from interviewer.domain.grades import Grade
from interviewer.domain.usage import CallRecord
from interviewer.errors import StorageError
from interviewer.storage import db as dbmod
from interviewer.storage.repo import NewTurn, Repository

PG_URL = os.environ.get("INTERVIEWER_TEST_PG_URL")


def _grade(qid: str, score: int) -> Grade:
    return Grade(
        question_id=qid, kind=Kind.TECHNICAL, score=score, grader="rubric", model="offline", rubric_version="1.0+abc"
    )


def _interview(repo: Repository) -> str:
    return repo.create_interview(
        model="offline",
        mode="coach",
        bank_version="1.0",
        bank_hash="h" * 64,
        bank_path=None,
        options={},
        state={"asked": []},
        status="ready",
    )


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgres",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not PG_URL, reason="INTERVIEWER_TEST_PG_URL is not set (no PostgreSQL server)"),
            ],
        ),
    ]
)
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Repository:
    if request.param == "postgres":
        assert PG_URL
        repository = Repository.open(PG_URL)
        with repository.engine.begin() as conn:
            conn.execute(text("DELETE FROM usage; DELETE FROM grades; DELETE FROM turns; DELETE FROM interviews"))
        return repository
    (tmp_path / "x").mkdir()  # a folder named by --db must exist; only the data folder is created
    return Repository.open(f"sqlite:///{tmp_path / 'x' / 'interviews.db'}")


def test_head_constant_matches_the_migration_scripts() -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(dbmod.__file__).parent / "migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == dbmod.HEAD


def test_migrations_create_the_schema(repo: Repository) -> None:
    tables = set(inspect(repo.engine).get_table_names())
    assert {"interviews", "turns", "grades", "usage", "alembic_version"} <= tables
    assert dbmod.current_revision(repo.engine) == dbmod.HEAD
    dbmod.migrate(repo.engine)  # idempotent


def test_sqlite_pragmas(tmp_path: Path) -> None:
    repo = Repository.open(f"sqlite:///{tmp_path / 'p.db'}")
    with repo.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10000
    assert repo.integrity_check() == "ok"


def test_step_stores_turns_and_state_together(repo: Repository) -> None:
    iid = _interview(repo)
    repo.commit_step(
        iid,
        state={"asked": ["q1"], "phase": "grading"},
        status="grading",
        turns=[NewTurn("q1", "interviewer", "question", "Q?"), NewTurn("q1", "candidate", "answer", "A")],
    )
    record = repo.get(iid)
    assert record is not None
    assert [(t.seq, t.role, t.text) for t in record.turns] == [(1, "interviewer", "Q?"), (2, "candidate", "A")]
    assert record.state["phase"] == "grading" and record.status == "grading"


def test_grades_history_and_weakness(repo: Repository) -> None:
    first = _interview(repo)
    repo.commit_step(first, state={"asked": ["q1"]}, status="grading", grades=[_grade("q1", 2)])
    # regraded after a probe: both kept, latest wins
    repo.commit_step(first, state={"asked": ["q1"]}, status="grading", grades=[_grade("q1", 4)])
    repo.commit_step(first, state={"asked": ["q1", "q2"]}, status="grading", grades=[_grade("q2", 1)])
    record = repo.get(first)
    assert record is not None
    assert len(record.all_grades) == 3 and record.grades["q1"].score == 4
    assert repo.weakness() == {"q1": 0.25, "q2": 1.0}
    repo.finish(first, overall_score=2.5, ended_early=False, status="complete")
    second = _interview(repo)
    assert repo.latest() == second and repo.latest(unfinished=True) == second
    assert [s for _, s in repo.past_overall(exclude=second)] == [2.5]
    assert repo.weakness(exclude=first) == {}


def test_delete_removes_everything(repo: Repository) -> None:
    iid = _interview(repo)
    repo.commit_step(iid, state={}, status="x", turns=[NewTurn("q", "candidate", "answer", "A")])
    usage = CallRecord(model="m", purpose="grade", prompt_tokens=1, completion_tokens=2, cost_usd=0.1, latency_ms=3)
    repo.commit_step(iid, state={}, status="x", grades=[_grade("q", 3)], usage=[usage])
    assert repo.delete(iid)
    assert repo.get(iid) is None and not repo.delete(iid)
    with repo.engine.connect() as conn:
        for table in ("turns", "grades", "usage"):
            assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == 0


def test_resolve_id_prefix(repo: Repository) -> None:
    iid = _interview(repo)
    assert repo.resolve_id(iid[:6]) == iid
    assert repo.resolve_id("zzzz") is None


def test_bad_url_is_a_clear_error() -> None:
    with pytest.raises(StorageError, match="not a database URL"):
        Repository.open("this is not a url")


def test_one_head_and_every_revision_is_known() -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(dbmod.__file__).parent / "migrations"))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1
    assert {r.revision for r in script.walk_revisions()} == set(dbmod.KNOWN_REVISIONS)


def test_a_lease_lets_one_writer_in(repo: Repository) -> None:
    from datetime import timedelta

    from interviewer.storage.orm import utcnow

    iid = repo.create_interview(
        model="offline", mode="coach", bank_version="1", bank_hash="h", bank_path=None, options={}, state={},
        status="awaiting_answer",
    )  # fmt: skip
    assert repo.claim(iid, "1@a") is None
    assert repo.claim(iid, "1@a") is None  # renewed by its owner
    assert repo.claim(iid, "2@b") == "1@a"  # refused, naming the holder
    assert repo.claim(iid, "2@b", now=utcnow() + timedelta(seconds=31)) is None  # a lapsed lease is free
    assert not repo.take_over(iid, "3@c", dead="1@a")  # only from the process that holds it
    assert repo.take_over(iid, "3@c", dead="2@b")
    repo.release(iid, "2@b")  # not its lease any more: nothing happens
    assert repo.claim(iid, "4@d") == "3@c"
    repo.release(iid, "3@c")
    assert repo.claim(iid, "4@d") is None


def test_a_database_from_a_newer_version_is_named_not_migrated(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    repo = Repository.open(url)
    with repo.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        conn.execute(text("UPDATE meta SET value = '9.9.9' WHERE key = 'written_by'"))
    repo.close()
    with pytest.raises(StorageError) as err:
        Repository.open(url)
    assert "0099" in str(err.value) and "9.9.9" in str(err.value)
    assert "upgrade" in (err.value.hint or "")


def test_the_writer_version_is_recorded(tmp_path: Path) -> None:
    from interviewer import __version__

    repo = Repository.open(f"sqlite:///{tmp_path / 'w.db'}")
    with repo.engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'written_by'")).scalar() == __version__
