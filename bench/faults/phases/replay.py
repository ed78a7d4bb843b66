"""A header used on one app server is refused on the others, also when all three see it at once."""

import threading

from bench.faults.client import Client
from wsse_auth.client import make_header

REPLAY = "Previously used nonce detected."


def run(context, report):
    phase = "replay"
    headers = 10 if context.quick else 50
    clients = [Client(port, context.user, context.key) for port in context.stack.app_ports]
    in_turn = []
    for _ in range(headers):
        header = make_header(context.user, context.key)
        in_turn.append([client.request("GET", "/branches", header=header) for client in clients])
    first_ok = all(answers[0].status == 200 for answers in in_turn)
    replays = [answer for answers in in_turn for answer in answers[1:]]
    refused = [
        answer for answer in replays if answer.status == 401 and (answer.json() or {}).get("error") == REPLAY
    ]
    report.check(
        phase,
        "a header used on app 1 is refused on apps 2 and 3",
        first_ok and len(refused) == len(replays),
        f"{len(refused)} of {len(replays)} replays refused",
    )

    # The same header sent to the three servers at the same moment: the shared store lets one through.
    at_once = []
    for _ in range(headers):
        header = make_header(context.user, context.key)
        barrier = threading.Barrier(len(clients))
        answers = [None] * len(clients)

        def send(index, header=header, barrier=barrier, answers=answers):
            barrier.wait()
            answers[index] = clients[index].request("GET", "/branches", header=header)

        threads = [threading.Thread(target=send, args=(index,)) for index in range(len(clients))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        at_once.append(sorted(answer.status for answer in answers))
    exactly_one = sum(1 for statuses in at_once if statuses == [200, 401, 401])
    report.check(
        phase,
        "one header sent to all three at once: exactly one 200",
        exactly_one == headers,
        f"{exactly_one} of {headers} headers",
    )
    for client in clients:
        client.close()
