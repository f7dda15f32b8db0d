"""The wheel carries the built gazetteer and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_finds_its_gazetteer(tmp_path):
    """Build the wheel, install it into a bare folder, geocode from elsewhere."""
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, ROOT], check=True)
    (wheel,) = wheels.glob("geomap-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", target, wheel], check=True
    )
    code = (
        "import geomap, geomap._data as d; "
        "print(d.data_dir().name); print(geomap.geocoder().geocode('Kafr Nabudah, Hama').raw['place_id'])"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["_gazetteer", "C3209"]
