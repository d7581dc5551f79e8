"""ROR ids carry a checksum; a library's `ror` must be a real one."""

import pytest

from consortium_tenants.tenants.schema import ror_checksum_ok


@pytest.mark.parametrize("ror_id", ["01ggx4157", "024d6js02", "05x8mcb75", "03yrm5c26"])
def test_real_ror_ids_pass_the_checksum(ror_id):
    assert ror_checksum_ok(ror_id)


@pytest.mark.parametrize("ror_id", ["01ggx4158", "01ggx4175", "024d6js03", "05x8mcb57"])
def test_a_mistyped_ror_id_fails_the_checksum(ror_id):
    assert not ror_checksum_ok(ror_id)

