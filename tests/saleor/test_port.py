"""The one gateway implements the one port, domain by domain, with the port's own signatures."""

import inspect

from marketplace.saleor import port

DOMAINS = {
    "setup": port.SetupPort,
    "warehouses": port.WarehousePort,
    "catalogue": port.CataloguePort,
    "checkout": port.CheckoutPort,
    "payments": port.PaymentPort,
    "orders": port.OrderPort,
    "customers": port.CustomerPort,
}


def _methods(protocol) -> dict:
    return {name: member for name, member in vars(protocol).items()
            if callable(member) and not name.startswith("_")}


def _parameters(function) -> list:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


def test_each_domain_of_the_gateway_offers_exactly_what_its_port_declares(saleor):
    # given the gateway over the stand-in
    assert isinstance(saleor, port.SaleorPort)
    for attribute, protocol in DOMAINS.items():
        domain = getattr(saleor, attribute)
        # then every declared call exists with the same parameters (names, order, defaults)
        assert isinstance(domain, protocol), attribute
        for name, declared in _methods(protocol).items():
            implemented = getattr(type(domain), name)
            assert _parameters(implemented) == _parameters(declared), f"{attribute}.{name}"
        # and the domain has no public call the port does not declare (callers only see the port)
        public = {n for n, m in vars(type(domain)).items() if callable(m) and not n.startswith("_")}
        extra = public - set(_methods(protocol))
        assert extra <= {"zones_covering", "attach_warehouse", "attribute_id", "vendor_attribute_id",
                         "ensure_type_attributes"}, f"{attribute}: {extra}"


def test_the_port_declares_no_call_twice_across_domains():
    # a call lives in one domain: a newcomer finds it by the domain's name
    seen: dict[str, str] = {}
    shared = {"get", "update_metadata", "create", "update", "find", "channel"}
    for attribute, protocol in DOMAINS.items():
        for name in _methods(protocol):
            if name in shared:
                continue
            assert name not in seen, f"{name} is in both {seen.get(name)} and {attribute}"
            seen[name] = attribute
