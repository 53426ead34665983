"""Cut-over and rollback on the legacy hosts (`migrate cutover`, `migrate rollback`).

Values in the middle, I/O at the edges:

* `edits.py`: where each source line lives on its host (root, remote path, system file or
  user crontab) and the marker edit, as regular expressions shared by the local preview and
  the playbook; pure;
* `window.py`: the next window in which none of the chosen jobs fires (AWS expressions,
  vectorised with the verification engine's evaluators); pure;
* `playbook.py`: `cutover.yml`, `rollback.yml` and the inventory (Ansible, `ansible.builtin`
  modules only); pure text;
* `output.py`: writes `output/cutover/<env>/` (new files, diffs, playbooks, README);
* `runner.py`: runs `ansible-playbook` (the only subprocess).

The AWS side (enable/disable and tag the owned rules) is `migrate.aws.cutover`.
This package's `__init__` imports nothing.
"""
