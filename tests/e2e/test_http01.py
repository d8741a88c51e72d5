"""The http-01 responder over HTTP and HTTPS, redirects, and its request history."""
import ssl
import urllib.error
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, host, https=False):
    context = ssl._create_unverified_context() if https else None
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(url, headers={"Host": host, "User-Agent": "anvil-e2e"})
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def test_token_is_served_for_any_host(mockdns):
    mockdns.ok("/add-http01", {"token": "tok123", "content": "tok123.thumbprint"})
    host, port = mockdns.address("http01")
    url = f"http://{host}:{port}/.well-known/acme-challenge/tok123"
    assert fetch(url, "a.example")[:2] == (200, "tok123.thumbprint")
    assert fetch(url, "b.example:80")[:2] == (200, "tok123.thumbprint")
    events = mockdns.history("http", "b.example")
    assert events == [{"URL": "/.well-known/acme-challenge/tok123", "Host": "b.example:80",
                       "HTTPS": False, "ServerName": "", "UserAgent": "anvil-e2e"}]
    mockdns.ok("/del-http01", {"token": "tok123"})
    assert fetch(url, "a.example")[:2] == (200, "")  # challtestsrv: unknown token, empty 200


def test_https01_serves_the_same_tokens_and_records_sni(mockdns):
    mockdns.ok("/add-http01", {"token": "tls-tok", "content": "ka"})
    _, port = mockdns.address("https01")
    url = f"https://localhost:{port}/.well-known/acme-challenge/tls-tok"
    status, body, _ = fetch(url, "localhost", https=True)
    assert (status, body) == (200, "ka")
    events = mockdns.history("http", "localhost")
    assert events[-1]["HTTPS"] is True and events[-1]["ServerName"] == "localhost"


def test_redirects_on_plain_http_only(mockdns):
    path = "/.well-known/acme-challenge/moved"
    mockdns.ok("/add-redirect", {"path": path, "targetURL": "https://elsewhere.example/x"})
    host, port = mockdns.address("http01")
    status, _, headers = fetch(f"http://{host}:{port}{path}", "r.example")
    assert status == 302 and headers["Location"] == "https://elsewhere.example/x"
    _, tls_port = mockdns.address("https01")
    assert fetch(f"https://127.0.0.1:{tls_port}{path}", "r.example", https=True)[0] == 200
    mockdns.ok("/del-redirect", {"path": path})
    assert fetch(f"http://{host}:{port}{path}", "r.example")[0] == 200


def test_other_paths_are_404(mockdns):
    host, port = mockdns.address("http01")
    assert fetch(f"http://{host}:{port}/index.html", "x.example")[0] == 404
