"""Public mail domains: anyone can have an address there, so such a domain says nothing about which client
someone is at. `/client domain` refuses them (add the person by address instead); a person's own address at
one is fine.

Not every provider in the world: the big international ones, and the large ones where our users are (Europe,
Poland, Russia, East Asia). A provider missing here can still be added as a client's domain; the list says
what we know.
"""

from __future__ import annotations

from domain.addresses import parent_domains

PUBLIC = frozenset(
    {
        # international
        "gmail.com", "googlemail.com", "outlook.com", "msn.com", "passport.com", "icloud.com", "me.com", "mac.com",
        "ymail.com", "rocketmail.com", "aim.com", "proton.me", "protonmail.com", "protonmail.ch", "pm.me",
        "zoho.com", "zohomail.com", "fastmail.com", "fastmail.fm", "hey.com", "tutanota.com", "tutanota.de",
        "tuta.io", "tuta.com", "mail.com", "email.com", "usa.com", "yopmail.com", "mailinator.com",
        "duck.com", "hushmail.com", "runbox.com", "posteo.de", "posteo.net", "mailbox.org",
        # North America, UK, Australia, India
        "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "charter.net",
        "shaw.ca", "rogers.com", "sympatico.ca", "btinternet.com", "sky.com", "virginmedia.com", "ntlworld.com",
        "talktalk.net", "bigpond.com", "optusnet.com.au", "rediffmail.com",
        # Europe
        "web.de", "freenet.de", "t-online.de", "arcor.de", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net",
        "sfr.fr", "neuf.fr", "libero.it", "virgilio.it", "tiscali.it", "alice.it", "tin.it", "seznam.cz",
        "centrum.cz", "post.cz", "azet.sk", "zoznam.sk", "bluewin.ch", "telenet.be", "skynet.be", "ziggo.nl",
        "kpnmail.nl", "home.nl", "planet.nl", "telia.com", "online.no", "abv.bg", "freemail.hu", "citromail.hu",
        "sapo.pt", "terra.com.br", "uol.com.br", "bol.com.br", "ukr.net", "i.ua", "meta.ua",
        # Poland
        "wp.pl", "o2.pl", "onet.pl", "onet.eu", "op.pl", "interia.pl", "interia.eu", "poczta.fm", "tlen.pl",
        "gazeta.pl", "vp.pl", "spoko.pl", "autograf.pl", "buziaczek.pl", "go2.pl", "int.pl", "poczta.onet.pl",
        # Russia
        "mail.ru", "bk.ru", "inbox.ru", "list.ru", "internet.ru", "ya.ru", "rambler.ru", "lenta.ru",
        # East Asia
        "qq.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "aliyun.com",
        "naver.com", "daum.net", "hanmail.net", "nate.com", "yahoo.co.jp", "docomo.ne.jp", "ezweb.ne.jp",
    }
)  # fmt: skip

# Providers with a domain in many countries: hotmail.com, hotmail.co.uk, yahoo.fr, gmx.de, yandex.kz…
BRANDS = frozenset({"hotmail", "outlook", "live", "windowslive", "yahoo", "aol", "gmx", "yandex", "googlemail"})
GENERIC = frozenset({"com", "net", "org"})
SECOND_LEVEL = frozenset({"co", "com", "ne", "or", "net", "org"})  # co.uk, com.br, ne.jp, or.at


def is_public(domain: str) -> bool:
    """Anyone can have an address at `domain` or at the domain it is part of (gmail.com, mail.yahoo.co.uk)."""
    return any(_public(d) for d in [domain, *parent_domains(domain)])


def _public(domain: str) -> bool:
    if domain in PUBLIC:
        return True
    brand, _, rest = domain.partition(".")
    return brand in BRANDS and _country_or_generic(rest)


def _country_or_generic(suffix: str) -> bool:
    """com, de, co.uk, com.br: where a provider's brand sits, never another company's name (hotmail.acme.com)."""
    labels = suffix.split(".")
    if len(labels) == 1:
        return labels[0] in GENERIC or len(labels[0]) == 2
    return len(labels) == 2 and labels[0] in SECOND_LEVEL and len(labels[1]) == 2
