"""The CPUs a scan may use: its affinity, within its container's CPU quota (cgroup v1 or v2)."""

from __future__ import annotations

import os

import pytest

from analyzer.infra import cpus


def _cgroup(tmp_path, membership: str, files: dict[str, str]):
    (tmp_path / "proc").write_text(membership)
    for name, text in files.items():
        (tmp_path / "fs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "fs" / name).write_text(text)
    return tmp_path / "proc", tmp_path / "fs"


@pytest.mark.parametrize("membership, files, quota", [
    ("0::/ci/job\n", {"ci/job/cpu.max": "150000 100000\n"}, 2),                           # v2: 1.5 CPUs, rounded up
    ("0::/\n", {"cpu.max": "max 100000\n"}, None),                                        # v2 without a limit
    ("4:cpu,cpuacct:/pod\n1:memory:/pod\n", {"cpu,cpuacct/pod/cpu.cfs_quota_us": "200000\n",
                                              "cpu,cpuacct/pod/cpu.cfs_period_us": "100000\n"}, 2),   # v1
    ("1:cpu:/\n0::/\n", {"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),  # v1, none
    ("0::/gone\n", {}, None),                                                             # a cgroup not mounted
    ("0::/\n", {"cpu.max": "many 0\n"}, None),                                            # malformed
])
def test_a_cgroup_quota_is_read_in_whole_cpus(tmp_path, membership, files, quota):
    assert cpus.quota_of(*_cgroup(tmp_path, membership, files)) == quota


def test_the_usable_cpus_are_the_fewer_of_affinity_and_quota(tmp_path):
    affinity = len(os.sched_getaffinity(0))
    assert cpus.usable(*_cgroup(tmp_path, "0::/\n", {"cpu.max": "100000 100000\n"})) == 1
    assert cpus.usable(*_cgroup(tmp_path, "0::/\n", {"cpu.max": f"{100000 * (affinity + 4)} 100000\n"})) == affinity
    assert cpus.usable(tmp_path / "no-such-file", tmp_path) == affinity
