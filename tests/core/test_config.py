"""Configuration: precedence and origins, bad files, config set keeping comments, example file."""

from __future__ import annotations

from pathlib import Path

import pytest

from asx.core import config
from asx.core.errors import UserError
from asx.core.plugin_host import PluginHost

KNOWN = config.settings(PluginHost.load())

REPO = Path(__file__).resolve().parents[2]


def test_precedence_and_origins(asx, workspace, monkeypatch):
    user = Path(__import__("os").environ["ASX_USER_CONFIG"])
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text('lang = "zh"\n[store]\nname = "用户店"\n[privacy]\nretention_years = 5\n', encoding="utf-8")
    (workspace / "asx.toml").write_text('[store]\nname = "项目店"\n[privacy]\nretention_years = 4\n', encoding="utf-8")
    monkeypatch.setenv("ASX_PRIVACY__RETENTION_YEARS", "6")
    cfg = config.load(workspace, known=KNOWN)
    assert cfg.get("store.name") == "项目店" and cfg.origin("store.name").endswith("asx.toml")
    assert cfg.get("lang") == "zh" and cfg.origin("lang") == str(user)
    assert cfg.get("privacy.retention_years") == 6 and cfg.origin("privacy.retention_years") == "env ASX_PRIVACY__RETENTION_YEARS"
    assert cfg.get("service.hours") == "08:30-23:00" and cfg.origin("service.hours") == "default"
    monkeypatch.setenv("ASX_LANG", "en")
    cfg = config.load(workspace, known=KNOWN, overrides={"lang": ("--lang", "zh")})
    assert cfg.get("lang") == "zh" and cfg.origin("lang") == "flag --lang"
    r = asx("config get lang --origin")
    assert r.stdout.strip() == "en\tenv ASX_LANG"
    r = asx("--lang zh config get lang --origin")
    assert r.stdout.strip() == "zh\tflag --lang"


def test_found_in_parent_directory(asx, workspace, monkeypatch):
    sub = workspace / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    r = asx("config get database --origin")
    assert r.exit_code == 0
    r = asx("agent list -f csv")
    assert "李主管" in r.stdout


@pytest.mark.parametrize("text, needle", [
    ('[privacy]\nretention_years = "three"\n', "privacy.retention_years"),
    ('[store]\ncolour = "red"\n', "store.colour"),
    ('[store]\ntimezone = "Mars/Olympus"\n', "store.timezone"),
    ('lang = "fr"\n', "lang"),
    ('[store\nname=1', "not valid TOML"),
])
def test_bad_config_is_one_line_naming_key_and_file(asx, workspace, text, needle):
    (workspace / "asx.toml").write_text(text, encoding="utf-8")
    r = asx("agent list")
    assert r.exit_code == 2, r
    line = r.stderr.strip()
    assert len(line.splitlines()) == 1
    assert needle in line and "asx.toml" in line


def test_env_var_bad_type(asx, workspace, monkeypatch):
    monkeypatch.setenv("ASX_PRIVACY__RETENTION_YEARS", "lots")
    r = asx("config show")
    assert r.exit_code == 2 and "ASX_PRIVACY__RETENTION_YEARS" in r.stderr


def test_env_reference_for_secrets(workspace, monkeypatch):
    (workspace / "asx.toml").write_text('[store]\nname = {"$env" = "SHOP_NAME"}\n', encoding="utf-8")
    with pytest.raises(UserError, match="SHOP_NAME"):
        config.load(workspace, known=KNOWN)
    monkeypatch.setenv("SHOP_NAME", "秘密店")
    assert config.load(workspace, known=KNOWN).get("store.name") == "秘密店"


def test_config_set_keeps_comments_and_other_keys(asx, workspace):
    import re

    path = workspace / "asx.toml"
    db = re.search(r"^database = .*$", path.read_text(encoding="utf-8"), re.M)
    path.write_text((db.group(0) + "\n" if db else "") +
                    '# my shop\n[store]\n# the name\nname = "A"\ntimezone = "Asia/Shanghai"\n', encoding="utf-8")
    assert asx("config set store.name 乙店").exit_code == 0
    assert asx("config set output.format json").exit_code == 0
    assert asx('config set service.hours 08:00-22:00').exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "# my shop" in text and "# the name" in text
    cfg = config.load(workspace, known=KNOWN)
    assert cfg.get("store.name") == "乙店"
    assert cfg.get("store.timezone") == "Asia/Shanghai"
    assert cfg.get("output.format") == "json"
    assert cfg.get("service.hours") == "08:00-22:00"
    # privacy settings go to the database, never into the file (issue 17 §3)
    assert asx("--as 李主管 config set privacy.retention_years 5").exit_code == 0
    assert "privacy" not in path.read_text(encoding="utf-8")
    r = asx("--as 李主管 config set privacy.retention_years many")
    assert r.exit_code == 2 and "privacy.retention_years" in r.stderr
    r = asx("config set no.such 1")
    assert r.exit_code == 2


def test_config_set_user_file(asx, workspace):
    assert asx("config set --user lang zh").exit_code == 0
    assert asx("config get lang").stdout.strip() == "zh"


def test_example_file_is_current():
    """asx.toml.example documents every setting with its default (regenerate: asx config example)."""
    assert (REPO / "asx.toml.example").read_text(encoding="utf-8") == config.example_toml(KNOWN)


def test_example_parses_when_uncommented():
    import tomllib

    lines = []
    for l in config.example_toml(KNOWN).splitlines():
        if __import__("re").match(r"^# [a-z_]+ = ", l):
            lines.append(l[2:])
        elif l.startswith("["):
            lines.append(l)
    data = tomllib.loads("\n".join(l for l in lines if not l.rstrip().endswith("=")))
    assert data["store"]["timezone"] == "Asia/Shanghai"
