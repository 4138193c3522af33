"""The annotator's config: library defaults, and the settings builder that reads variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow.settings.env import Env, SettingsError
from newsflow.settings.transforms import annotate_config
from transforms.config import AnnotateConfig, default_seeds_dir


def test_the_library_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_ANNOTATE_PIPELINE", "rules")  # ignored by the library
    config = AnnotateConfig()
    assert config.pipeline == "auto" and config.use_model is None
    assert config.seeds == default_seeds_dir()
    assert (default_seeds_dir() / "actor_dictionary.csv").is_file()
    with pytest.raises(ValueError, match="pipeline"):
        AnnotateConfig(pipeline="fast")


def test_the_builder_reads_every_variable(tmp_path: Path) -> None:
    env = Env(
        {
            "NEWSFLOW_ANNOTATE_BATCH_SIZE": "0",
            "NEWSFLOW_ANNOTATE_PROCESSES": "3",
            "NEWSFLOW_SPACY_MODEL": "en_core_web_md",
            "NEWSFLOW_ANNOTATE_PIPELINE": "Rules",
            "NEWSFLOW_SEEDS_DIR": str(tmp_path),
            "NEWSFLOW_ANNOTATE_MAX_CHARS": "10",
            "NEWSFLOW_ANNOTATE_LANGUAGES": "EN, de",
        }
    )
    assert annotate_config(env) == AnnotateConfig(
        batch_size=1,
        processes=3,
        spacy_model="en_core_web_md",
        pipeline="rules",
        seeds_dir=tmp_path,
        max_chars=1000,
        languages=("en", "de"),
    )
    assert annotate_config(Env({})) == AnnotateConfig()


@pytest.mark.parametrize(
    ("name", "value"),
    [("NEWSFLOW_ANNOTATE_PIPELINE", "fast"), ("NEWSFLOW_ANNOTATE_BATCH_SIZE", "many")],
)
def test_a_bad_value_is_a_settings_error(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        annotate_config(Env({name: value}))
