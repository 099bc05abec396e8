"""Template context for every page: the number of articles in the session's cart (no Saleor call)."""

from .session import cart_count


def cart(request):
    """``cart_count``: articles in this session's cart, as last seen when the cart changed."""
    return {"cart_count": cart_count(request)}
