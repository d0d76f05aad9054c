"""One way to refuse: a service raises `Refused` with field errors named by their path in the request body;
the core answers problem+json with them nested as in the body, and writes nothing."""
from bibnet.refusals import Refused, nested


def test_paths_become_the_body_s_nesting():
    assert nested({"fund_rate": ["a"], "periods.0.ends_on": ["b"], "periods.0.starts_on": ["c"], "periods.1.ends_on": ["d"]}) == {
        "fund_rate": ["a"],
        "periods": {"0": {"ends_on": ["b"], "starts_on": ["c"]}, "1": {"ends_on": ["d"]}},
    }


def test_a_field_with_messages_of_its_own_and_of_its_parts_keeps_both_in_either_order():
    expected = {"periods": {"_schema": ["in use"], "0": {"ends_on": ["too late"]}}}
    assert nested({"periods": ["in use"], "periods.0.ends_on": ["too late"]}) == expected
    assert nested({"periods.0.ends_on": ["too late"], "periods": ["in use"]}) == expected


def test_a_refusal_is_a_422_unless_it_says_otherwise_and_lists_its_messages():
    refusal = Refused({"a": ["one"], "b.0": ["two"]})
    assert (refusal.status, refusal.messages(), refusal.summary()) == (422, ["one", "two"], "one two")
    assert Refused(status=409, detail="taken").messages() == ["taken"]
