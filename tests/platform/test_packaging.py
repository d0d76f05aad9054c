"""The three code folders install as one package, `bibnet`, and never shadow Python's own `platform`."""
from pathlib import Path
import subprocess
import sys
import tomllib
import venv

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {"platform": "bibnet", "tenants": "bibnet.tenants", "elearning": "bibnet.elearning", "migrations": "bibnet.migrations"}


def test_platform_has_no_init_file():
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_import_platform_is_the_standard_library_from_the_repository_root():
    result = subprocess.run(
        [sys.executable, "-c", "import platform, sysconfig; print(platform.__file__); print(platform.system())"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    path, system = result.stdout.split()
    assert Path(path).parent == Path(__import__("sysconfig").get_paths()["stdlib"])
    assert system == "Linux"


def test_import_platform_is_the_standard_library_under_python_m_pytest(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "import platform, sysconfig\n"
        "def test_stdlib():\n"
        "    assert platform.__file__.startswith(sysconfig.get_paths()['stdlib'])\n"
        "    assert platform.system()\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(probe)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_package_folder_is_listed_for_installation():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["package-dir"] == {package: folder for folder, package in FOLDERS.items()}
    found = set()
    for folder, package in FOLDERS.items():
        for directory in [ROOT / folder, *sorted(p for p in (ROOT / folder).rglob("*") if p.is_dir())]:
            if "__pycache__" in directory.parts or not any(directory.glob("*.py")):
                continue
            relative = directory.relative_to(ROOT / folder).parts
            found.add(".".join((package, *relative)))
    assert found == set(setuptools["packages"])


@pytest.mark.slow_install
def test_a_built_wheel_installs_and_answers_bibnet_help(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("bibnet-*.whl"))
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    subprocess.run([target / "bin" / "pip", "install", "-q", "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True, capture_output=True)
    result = subprocess.run([target / "bin" / "bibnet", "--help"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for command in ("run", "db", "demo", "tenant", "user", "translate"):
        assert command in result.stdout
    files = subprocess.run(
        [target / "bin" / "python", "-c", "import bibnet.app, pathlib; p = pathlib.Path(bibnet.app.__file__).parent; "
         "print((p / 'web/templates/base.html').exists(), (p / 'web/static/bibnet.css').exists(), "
         "any(pathlib.Path(__import__('bibnet.migrations').migrations.__file__).parent.glob('versions/*.py')))"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )
    assert files.stdout.split() == ["True", "True", "True"]
