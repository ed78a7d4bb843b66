-- wrk script: every request carries its own X-WSSE header, pre-signed by bench/run.py into a file
-- (one header per line), so the client spends no time hashing and no header is ever sent twice.
-- Environment: BENCH_HEADERS (file; absent for the unauthenticated floor), BENCH_METHOD, BENCH_BODY.
-- Every answer outside 200-299 is counted; done() prints one JSON line that bench/run.py reads.

local threads = {}
local next_id = 0

function setup(thread)
    thread:set("id", next_id)
    thread:set("count", #threads + 1)
    next_id = next_id + 1
    table.insert(threads, thread)
end

function init(args)
    -- Thread n takes lines n, n + T, n + 2T ...: the threads never share a header.
    headers = {}
    local file = os.getenv("BENCH_HEADERS")
    if file and file ~= "" then
        local total = tonumber(os.getenv("BENCH_THREADS"))
        local line_no = 0
        for line in io.lines(file) do
            if line_no % total == id then
                headers[#headers + 1] = line
            end
            line_no = line_no + 1
        end
    end
    used = 0
    bad = 0
    ran_out = 0
    method = os.getenv("BENCH_METHOD") or "GET"
    body = os.getenv("BENCH_BODY")
    if body == "" then
        body = nil
    end
end

function request()
    local extra = {}
    if #headers > 0 then
        used = used + 1
        if used > #headers then
            -- Out of fresh headers: sending a used one again would be a replay, so the run is void.
            ran_out = ran_out + 1
            used = #headers
        end
        extra["X-WSSE"] = headers[used]
    end
    if body then
        extra["Content-Type"] = "application/json"
    end
    return wrk.format(method, nil, extra, body)
end

function response(status, resp_headers, resp_body)
    if status < 200 or status > 299 then
        bad = bad + 1
        if bad == 1 then
            io.stderr:write("first non-2xx answer: " .. status .. " " .. string.sub(resp_body or "", 1, 200) .. "\n")
        end
    end
end

function done(summary, latency, requests)
    local bad_total, ran_out_total = 0, 0
    for _, thread in ipairs(threads) do
        bad_total = bad_total + thread:get("bad")
        ran_out_total = ran_out_total + thread:get("ran_out")
    end
    io.write(string.format(
        '{"requests": %d, "seconds": %.3f, "non_2xx": %d, "socket_errors": %d, "ran_out": %d, '
            .. '"p50_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f}\n',
        summary.requests, summary.duration / 1e6, bad_total,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        ran_out_total, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000
    ))
end
