from tests.driver import SlackDriver


def test_healthz(slack: SlackDriver) -> None:
    assert slack.get("/healthz").status == 200


def test_add_and_show(slack: SlackDriver) -> None:
    assert slack.command('add "Acme Corp" key').status == 200
    print(slack.fake.last_response())
    slack.command("log acme called about the invoice")
    print(slack.fake.last_response())
    slack.command("show acme")
    print(slack.fake.last_response())
