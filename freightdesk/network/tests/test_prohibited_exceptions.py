import pytest

from freightdesk.network.models import ProhibitedGoods
from freightdesk.network.selectors import match_prohibited

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("goods", ["手枪钻", "吹气枪", "象牙白瓷砖"])
def test_ordinary_goods_listed_as_exceptions_are_allowed(goods):
    assert match_prohibited(goods) is None


def test_the_term_itself_is_still_refused_next_to_its_exceptions():
    assert match_prohibited("手枪").goods.name == "手枪"
    assert match_prohibited("仿真手枪").goods.name == "手枪"


def test_an_exception_added_in_admin_takes_effect_at_once():
    entry = ProhibitedGoods.objects.get(name="象牙")
    assert match_prohibited("象牙筷子") is not None
    entry.exceptions += ",象牙筷子"
    entry.save()
    assert match_prohibited("象牙筷子") is None
