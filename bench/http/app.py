"""The HTTP benchmark's WSGI app, for gunicorn -k gevent and gevent's
pywsgi: the same answers as hello/main.go."""
import time


def app(environ, start_response):
    if environ.get("PATH_INFO") == "/slow":
        time.sleep(0.05)  # gevent's sleep once the worker is patched
    body = b"Hello, World!"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


if __name__ == "__main__":
    # gevent's pywsgi on its own, one process: python3 app.py HOST:PORT
    from gevent import monkey

    monkey.patch_all()
    import sys

    from gevent.pywsgi import WSGIServer

    host, port = sys.argv[1].rsplit(":", 1)
    WSGIServer((host, int(port)), app, log=None).serve_forever()
