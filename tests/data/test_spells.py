import numpy as np
import pandas as pd
import pytest

from foedus.data.spells import expand_spells


def test_spells_expand_to_one_row_per_year_in_order():
    rows, years = expand_spells([1990, 2000, 1995], [1992, 2000, 1996], "test spells")
    np.testing.assert_array_equal(rows, [0, 0, 0, 1, 2, 2])
    np.testing.assert_array_equal(years, [1990, 1991, 1992, 2000, 1995, 1996])


def test_a_spell_ending_before_it_begins_is_an_error_naming_source_and_row():
    frame = pd.DataFrame({"ccode": [2, 20], "styear": [1990, 1999], "endyear": [1991, 1998]})
    with pytest.raises(ValueError, match=r"capitals row 1 ends before it begins: .*'ccode': 20"):
        expand_spells(frame["styear"], frame["endyear"], "capitals", frame)
    rows, years = expand_spells(frame["styear"], frame["endyear"], "capitals", frame, empty_ok=True)
    np.testing.assert_array_equal(years, [1990, 1991])
