"""The baseline: a bare Flask "hello" (what the performance budget is measured against)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
