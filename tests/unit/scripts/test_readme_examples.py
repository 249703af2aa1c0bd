# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/readme_examples.py: what a document marks is followed, fragments are not, unmarked YAML is refused."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib.util
import os
import stat

import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
SCRIPT = os.path.join(ROOT, "scripts", "readme_examples.py")

pytestmark = pytest.mark.skipif(not os.path.isfile(SCRIPT), reason="scripts/ is in a clone only, not in the built collection")


def load():
    spec = importlib.util.spec_from_file_location("readme_examples", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MD = """# Title

<!-- newcomer: run -->
```bash
export READER=yes
```

<!-- newcomer: run at the end -->
```bash
echo "$READER" > end.txt
```

<!-- example: ok.yml -->
```yaml
- name: Fine
  hosts: localhost
```

Not run: no marker.

```bash
rm -rf /
```

```yaml
# fragment: tasks of a play
- name: A task
  ansible.builtin.debug:
```

<!-- example: bad.yml -->
```yaml
- name: broken
  hosts: localhost
```

<!-- example: after.yml -->
```yaml
- name: After the broken one
  hosts: localhost
```
"""

RST = """Title
=====

.. newcomer: run

.. code-block:: bash

    export READER=yes

.. example: shop.yml

.. code-block:: yaml

    - name: A play
      hosts: localhost
      tasks: []

.. code-block:: yaml

    # fragment: role variables
    number_rental_rentals: []
"""


def test_markdown_marked_blocks_in_order_fragments_and_unmarked_bash_skipped():
    blocks = load().extract("README.md", MD)
    assert [(block.kind, block.value, block.line) for block in blocks] == [
        ("run", None, 4), ("example", "ok.yml", 14), ("example", "bad.yml", 32), ("example", "after.yml", 38),
        ("end", None, 9)]
    assert blocks[0].text == "export READER=yes\n"
    assert blocks[1].text == "- name: Fine\n  hosts: localhost\n"


def test_rst_marked_blocks_dedented_and_fragments_skipped():
    blocks = load().extract("guide.rst", RST)
    assert [(block.kind, block.value) for block in blocks] == [("run", None), ("example", "shop.yml")]
    assert blocks[1].text == "- name: A play\n  hosts: localhost\n  tasks: []\n"


@pytest.mark.parametrize("text, message", [
    ("```yaml\n- name: A play\n  hosts: localhost\n```\n", "neither marked to run"),
    ("<!-- example: a.yml -->\n```yaml\n# fragment: tasks\n- name: x\n```\n", "says it is a fragment"),
    ("<!-- example: a.yml -->\n\nSome words.\n\n```yaml\n- name: x\n```\n", "marker must come right before its block"),
    ("<!-- example: a.yml -->\n```bash\nls\n```\n", "marks YAML playbooks"),
    ("<!-- newcomer: run -->\n```yaml\n- name: x\n```\n", "marks bash blocks"),
    ("<!-- newcomer: sometimes -->\n```bash\nls\n```\n", "unknown marker"),
    ("<!-- example: a.yml -->\n```yaml\n- a\n```\n<!-- example: a.yml -->\n```yaml\n- b\n```\n", "a second example named a.yml"),
    ("<!-- example: ../a.yml -->\n```yaml\n- a\n```\n", "not a file name"),
    ("```yaml\n- a\n", "never ends"),
])
def test_what_cannot_be_followed_is_refused(text, message):
    module = load()
    with pytest.raises(module.DocError, match=message):
        module.extract("README.md", text)


def test_a_broken_example_fails_and_is_named_and_the_end_blocks_still_run(tmp_path):
    """follow() stops at the first failing example, names it, never runs the later ones, and runs the end blocks."""
    module = load()
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake = venv / "bin" / "ansible-playbook"
    fake.write_text("#!/bin/sh\nprintf '%s\\n' \"$1\" >> played.txt\n! grep -q broken \"$1\"\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    artifact = tmp_path / "sinch-numbers-0.0.1.tar.gz"
    artifact.write_text("")
    with open(str(tmp_path / "log"), "w") as log:
        failed = module.follow("README.md", module.extract("README.md", MD), str(artifact), str(tmp_path / "work"), str(venv), log)
    assert (failed.kind, failed.value, failed.line) == ("example", "bad.yml", 32)
    reader = tmp_path / "work" / "README-md" / "reader"
    assert (reader / "played.txt").read_text().split() == ["ok.yml", "bad.yml"]
    assert (reader / "end.txt").read_text() == "yes\n"  # the run-at-the-end block ran, with the reader's variables
    assert (reader / artifact.name).exists()


def test_a_failing_command_fails_the_document(tmp_path):
    module = load()
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    artifact = tmp_path / "a.tar.gz"
    artifact.write_text("")
    blocks = module.extract("README.md", "<!-- newcomer: run -->\n```bash\nfalse\necho never > never.txt\n```\n")
    with open(str(tmp_path / "log"), "w") as log:
        failed = module.follow("README.md", blocks, str(artifact), str(tmp_path / "work"), str(venv), log)
    assert failed is blocks[0]
    assert not (tmp_path / "work" / "README-md" / "reader" / "never.txt").exists()


@pytest.mark.parametrize("doc", ["README.md", os.path.join("docs", "docsite", "rst", "getting_started.rst")])
def test_the_project_documents_mark_the_sandbox_and_runnable_examples(doc):
    blocks = load().extract(os.path.join(ROOT, doc))
    commands = "".join(block.text for block in blocks if block.kind == "run")
    assert "ansible-playbook sinch.numbers.sandbox -e sandbox=deps" in commands
    assert "ansible-playbook sinch.numbers.sandbox -e sandbox=start" in commands
    assert "ansible-playbook sinch.numbers.main" in commands
    assert [block.text.strip() for block in blocks if block.kind == "end"] == ["ansible-playbook sinch.numbers.sandbox -e sandbox=stop"]
    assert "shop.yml" in [block.value for block in blocks if block.kind == "example"]
