"""Whatever the bytes, reading a statement ends in a Statement or a UserError."""

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asx.core.errors import UserError
from asx.money.statements import detect_and_read

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "statements"
SAMPLES = sorted(FIXTURES.glob("*.csv"))
PROPS = settings(derandomize=True, deadline=None, max_examples=150,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])
_counter = itertools.count()


def read_or_user_error(path: Path, stream: bool = False) -> None:
    try:
        stmt = detect_and_read(path, stream=stream)
        rows = list(stmt.rows)
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for row in rows:
        assert row.amount_fen >= 0 and row.direction in ("out", "in", "none")
        assert row.time.tzinfo is not None and row.line >= 1
        assert "E+" not in row.txn_id + row.merchant_order_no + row.order_no


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("props")


def put(workdir: Path, data: bytes, suffix: str = ".csv") -> Path:
    p = workdir / f"f{next(_counter)}{suffix}"
    p.write_bytes(data)
    return p


@PROPS
@given(data=st.binary(max_size=2000))
def test_random_bytes(workdir, data):
    read_or_user_error(put(workdir, data))


@PROPS
@given(data=st.binary(max_size=300))
def test_random_bytes_behind_a_real_header(workdir, data):
    head = (FIXTURES / "alipay_ledger_12col_gbk.csv").read_bytes().split(b"\r\n")[:6]
    read_or_user_error(put(workdir, b"\r\n".join(head) + b"\r\n" + data))


@PROPS
@given(sample=st.sampled_from(SAMPLES), cut=st.floats(min_value=0, max_value=1), stream=st.booleans())
def test_truncated_files(workdir, sample, cut, stream):
    data = sample.read_bytes()
    read_or_user_error(put(workdir, data[: int(len(data) * cut)]), stream=stream)


@PROPS
@given(sample=st.sampled_from(SAMPLES), pos=st.floats(min_value=0, max_value=1),
       junk=st.binary(min_size=1, max_size=20))
def test_corrupted_files(workdir, sample, pos, junk):
    data = sample.read_bytes()
    i = int(len(data) * pos)
    read_or_user_error(put(workdir, data[:i] + junk + data[i + len(junk):]))


@PROPS
@given(size=st.integers(min_value=1, max_value=300_000), quoted=st.booleans(),
       where=st.sampled_from(["note", "id", "header", "preamble"]))
def test_huge_fields(workdir, size, quoted, where):
    text = (FIXTURES / "alipay_ledger_12col_gbk.csv").read_bytes().decode("gbk")
    big = "汉" * size
    if quoted:
        big = f'"{big}"'
    if where == "note":
        text = text.replace("删除中评_萌萌", big)
    elif where == "id":
        text = text.replace("20261101200040011100370002", big, 1)
    elif where == "header":
        text = text.replace("备注\r\n", f"备注,{big}\r\n")
    else:
        text = big + "\r\n" + text
    read_or_user_error(put(workdir, text.encode("gbk")))


def test_huge_field_beyond_the_csv_limit_is_a_user_error(workdir):
    text = (FIXTURES / "alipay_ledger_12col_gbk.csv").read_bytes().decode("gbk")
    path = put(workdir, text.replace("删除中评_萌萌", '"' + "x" * 200_000 + '"').encode("gbk"))
    with pytest.raises(UserError, match="field larger than field limit"):
        detect_and_read(path)


@PROPS
@given(data=st.binary(max_size=400))
def test_random_xlsx_named_bytes(workdir, data):
    pytest.importorskip("python_calamine")
    read_or_user_error(put(workdir, b"PK\x03\x04" + data, suffix=".xlsx"))
