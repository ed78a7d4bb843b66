"""What every phase needs: a staff user with a key, branches, and helpers to write through the balancer."""

import base64
import io
import json
from dataclasses import dataclass

from PIL import Image

from bench.faults.client import Client
from bench.faults.processes import run
from bench.faults.stack import NGINX_PORT, PYTHON, ROOT

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

    def client(self, port=NGINX_PORT):
        return Client(port, self.user, self.key)

    def ticket_body(self, branch, subject, attachment=None):
        body = {
            "branch": branch,
            "subject": subject,
            "description": "Written by the fault suite.",
            "status": "new",
            "priority": "medium",
            "source": "web",
            "reporter": f"oro_{self.staff_id}",
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
