"""What `plekwijzer serve` sets up around uvicorn: no waiting-list code in the access log."""

import logging

import pytest

from web.cli_kit import keep_secrets_out_of_logs


def test_a_waiting_list_code_never_reaches_the_access_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    keep_secrets_out_of_logs()
    keep_secrets_out_of_logs()  # serving twice in one process installs it once
    access = logging.getLogger("uvicorn.access")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        # The call uvicorn's HTTP protocol makes for every answered request.
        access.info(
            '%s - "%s %s HTTP/%s" %d',
            "203.0.113.7:51234",
            "GET",
            "/api/v1/waitlist/K7QM-4XTR-9PWA",
            "1.1",
            404,
        )
        access.info('%s - "%s %s HTTP/%s" %d', "203.0.113.7:51234", "GET", "/zoeken", "1.1", 200)

    assert "K7QM" not in caplog.text
    assert '"GET /api/v1/waitlist/{reference} HTTP/1.1" 404' in caplog.text
    assert '"GET /zoeken HTTP/1.1" 200' in caplog.text
    assert len([f for f in access.filters if type(f).__name__ == "SecretsOutOfAccessLog"]) == 1
