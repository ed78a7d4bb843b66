"""What every phase needs: a staff user with a key, branches, a webhook, and helpers to write with."""

import base64
import io
import json
import secrets
from dataclasses import dataclass

from PIL import Image

from bench.faults.client import Client, Load
from bench.faults.processes import run
from bench.faults.stack import PYTHON, ROOT

SEED = """
import json
from desk.users.models import User
from wsse_auth.services import api_key_create
user = User.objects.create_user(username="faults", email="faults@example.com", password=None,
                                is_staff=True, is_superuser=True)
print(json.dumps({"id": user.pk, "key": api_key_create(owner=user, label="fault suite").key}))
"""


@dataclass
class Context:
    """The running stack and what the phases write with."""

    stack: object
    quick: bool
    user: str
    key: str
    staff_id: int
    branches: list

    @property
    def author(self):
        """The staff user as the API names a person: `oro_<id>`."""
        return f"oro_{self.staff_id}"

    def client(self, port=None):
        """A client of the balancer, or of the app server on `port`."""
        return Client(port or self.stack.nginx_port, self.user, self.key)

    def load(self, step, threads):
        """Threads repeating `step` through the balancer (not started)."""
        return Load(self.stack.nginx_port, self.user, self.key, step, threads)

    def ticket_body(self, branch, subject, attachment=None):
        body = {
            "branch": branch,
            "subject": subject,
            "description": "Written by the fault suite.",
            "status": "new",
            "priority": "medium",
            "source": "web",
            "reporter": self.author,
        }
        if attachment is not None:
            body["attachmentsInput"] = [attachment]
        return body


def seed(stack, quick):
    """Create the suite's staff user and three branches; return the Context."""
    env = stack.app_env(stack.scratch / "migrate")
    output = run([PYTHON, "manage.py", "shell", "-c", SEED], logs=stack.logs, name="seed", env=env, cwd=ROOT)
    made = json.loads(output.strip().splitlines()[-1])
    context = Context(stack, quick, "faults", made["key"], made["id"], [])
    client = context.client()
    # Every event, through the project's own API, to the suite's receiver; the secret checks signatures.
    stack.receiver.secret = secrets.token_hex(32)
    body = {"url": stack.receiver.url, "secret": stack.receiver.secret, "description": "fault suite"}
    answer = client.request("POST", "/webhooks", body)
    if answer.status != 201:
        raise RuntimeError(f"could not subscribe the receiver: {answer.status} {answer.body[:200]!r}")
    for key in ("FA", "FB", "FC"):
        answer = client.request("POST", "/branches", {"name": f"Faults {key}", "key": key})
        if answer.status != 201:
            raise RuntimeError(f"could not create branch {key}: {answer.status} {answer.body[:200]!r}")
        context.branches.append(answer.json()["id"])
    client.close()
    return context


def png_attachment(name="screen.png", side=64):
    """A small PNG as the API's attachmentsInput item: it gets a thumbnail, so two stored objects."""
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (200, 30, 30)).save(buffer, format="PNG")
    return {"filename": name, "content": base64.b64encode(buffer.getvalue()).decode()}


def multipart(field, filename, data):
    """A multipart/form-data body with one file field, and its Content-Type."""
    boundary = "faultsuiteboundary7d1e"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
