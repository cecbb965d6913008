#!/usr/bin/env bash
# Runs the local stack: the simulators (fake Smals OAuth server, fake cluster token issuer, fake STAR WSB sender,
# fake DFDG WSRM service and CodeListService, embedded PostgreSQL) and every service built so far, on 127.0.0.1.
# Needs only a JDK 17+.
# Ctrl-C stops everything.
#   ./local-stack.sh            build, then start
#   ./local-stack.sh --no-build start what was built before
set -euo pipefail
cd "$(dirname "$0")"

STATE=.local-stack
ADMIN=http://127.0.0.1:8099
mkdir -p "$STATE/logs"

if [[ "${1:-}" != "--no-build" ]]; then
  echo "Building (./mvnw -DskipTests package) ..."
  ./mvnw -B -q -DskipTests package
fi

pids=()
stop() { # the services first, the simulators (and with them PostgreSQL) last
  trap - INT TERM EXIT
  echo; echo "Stopping the local stack ..."
  local i
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do
    kill "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
}
trap stop INT TERM EXIT

# Waits until a TCP port accepts connections (bash only: no curl or nc needed).
await_port() {
  local name=$1 port=$2 log=$3
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "$name did not start; see $log" >&2
  tail -20 "$log" >&2
  exit 1
}

# PostgreSQL (for wsb-receiver and codelist-service) starts first in the simulators process; the admin port opens
# last. The fake DFDG WSRM service (for dfdg-poller) and CodeListService (for codelist-service) listen on their default
# ports, 8447 (--wsrm-port) and 8448 (--codelist-port).
java -jar simulators/target/simulators.jar --pki "$STATE/pki" \
  --oauth-port 8443 --issuer-port 8444 --admin-port 8099 \
  --postgres-port 5433 --postgres-dir "$STATE/postgres" \
  >"$STATE/logs/simulators.log" 2>&1 &
pids+=($!)
await_port simulators 8099 "$STATE/logs/simulators.log"

java -Dquarkus.config.locations=local/token-broker.properties -Dvertx.disableURIValidation=true \
  -jar token-broker/target/quarkus-app/quarkus-run.jar \
  >"$STATE/logs/token-broker.log" 2>&1 &
pids+=($!)
await_port token-broker 8081 "$STATE/logs/token-broker.log"

# bcss-proxy's own caller token for the broker, as the projected ServiceAccount token would be in Kubernetes.
curl_json() { # POST JSON with bash only, so the stack needs no curl to start
  local port=$1 path=$2 body=$3 response
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$path" "${#body}" "$body" >&3
  response=$(cat <&3)
  exec 3<&-
  printf '%s' "${response#*$'\r\n\r\n'}"
}
curl_json 8099 /admin/caller-tokens \
  '{"subject":"system:serviceaccount:local:bcss-proxy","audience":"token-broker","ttlSeconds":86400}' \
  | sed 's/.*"access_token":"\([^"]*\)".*/\1/' >"$STATE/bcss-proxy.token"

java -Dquarkus.config.locations=local/bcss-proxy.properties -Dvertx.disableURIValidation=true \
  -jar bcss-proxy/target/quarkus-app/quarkus-run.jar \
  >"$STATE/logs/bcss-proxy.log" 2>&1 &
pids+=($!)
await_port bcss-proxy 8082 "$STATE/logs/bcss-proxy.log"

# wsb-receiver accepts STAR's certificate only: trusted (local/wsb-receiver.properties) and pinned by its SHA-256,
# read here because the certificate is generated on the first run (keytool comes with the JDK).
STAR_PIN=$(keytool -printcert -file "$STATE/pki/star-client.crt" | sed -n 's/^[[:space:]]*SHA256:[[:space:]]*//p' | head -1)
[[ -n "$STAR_PIN" ]] || { echo "cannot read the SHA-256 of $STATE/pki/star-client.crt" >&2; exit 1; }
java -Dquarkus.config.locations=local/wsb-receiver.properties -Dvertx.disableURIValidation=true \
  -Dwsb.webhook.pinned-sha256="$STAR_PIN" \
  -jar wsb-receiver/target/quarkus-app/quarkus-run.jar \
  >"$STATE/logs/wsb-receiver.log" 2>&1 &
pids+=($!)
await_port wsb-receiver 8083 "$STATE/logs/wsb-receiver.log"
await_port wsb-receiver 8453 "$STATE/logs/wsb-receiver.log"

# dfdg-poller drains the fake DFDG's WSRM queue into wsb-receiver, with the local FOCES stand-in (foces-client) and its
# own caller token for wsb-receiver, as the projected ServiceAccount token would be in Kubernetes.
if [[ -f "$STATE/pki/foces-client.crt" ]]; then
  curl_json 8099 /admin/caller-tokens \
    '{"subject":"system:serviceaccount:local:dfdg-poller","audience":"wsb-receiver","ttlSeconds":86400}' \
    | sed 's/.*"access_token":"\([^"]*\)".*/\1/' >"$STATE/dfdg-poller.token"
  java -Dquarkus.config.locations=local/dfdg-poller.properties -Dvertx.disableURIValidation=true \
    -jar dfdg-poller/target/quarkus-app/quarkus-run.jar \
    >"$STATE/logs/dfdg-poller.log" 2>&1 &
  pids+=($!)
  await_port dfdg-poller 9004 "$STATE/logs/dfdg-poller.log"
else
  echo "dfdg-poller not started: $STATE/pki/foces-client.crt is missing (these simulators have no fake DFDG WSRM service)" >&2
fi

# codelist-service fetches the fake DFDG's code lists with the same FOCES stand-in, keeps them in the embedded
# PostgreSQL (schema codelist) and serves them on 8085 to callers with tokens of audience codelist-service.
if [[ -f "$STATE/pki/foces-client.crt" ]]; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/8448) 2>/dev/null; then
    echo "note: no fake DFDG CodeListService on 8448 (these simulators have none): codelist-service starts, fetches" \
      "nothing and stays not ready" >&2
  fi
  java -Dquarkus.config.locations=local/codelist-service.properties -Dvertx.disableURIValidation=true \
    -jar codelist-service/target/quarkus-app/quarkus-run.jar \
    >"$STATE/logs/codelist-service.log" 2>&1 &
  pids+=($!)
  await_port codelist-service 8085 "$STATE/logs/codelist-service.log"
  await_port codelist-service 9005 "$STATE/logs/codelist-service.log"
else
  echo "codelist-service not started: $STATE/pki/foces-client.crt is missing" >&2
fi

cat <<INFO

socsec-gateway local stack is up (logs in $STATE/logs/):
  simulators     fake Smals OAuth v5  https://localhost:8443/.well-known/oauth-authorization-server
                 fake cluster issuer  https://localhost:8444/openid/v1/jwks
                 admin (faults, caller tokens, stats)  $ADMIN/admin/...
                 fake BCSS REST gateway  https://localhost:8445/demo  (mutual TLS)
                 fake STAR WSB sender  POST $ADMIN/admin/wsb/send
                 fake DFDG WSRM service  https://localhost:8447/PjakTassWCFtService/1/WsrmService.svc  (mutual TLS)
                 fake DFDG CodeListService  https://localhost:8448/PjakTassWCFtService/1/CodeListService.svc  (mutual TLS)
                 PostgreSQL  jdbc:postgresql://127.0.0.1:5433/wsb  (user postgres; codelist-service in schema codelist;
                             data in $STATE/postgres)
  token-broker   http://127.0.0.1:8081/v1/tokens   health/metrics http://127.0.0.1:9001/q/health  /q/metrics
  bcss-proxy     http://127.0.0.1:8082/v1/bcss/demo/...   health/metrics http://127.0.0.1:9002/q/health  /q/metrics
  wsb-receiver   webhook https://localhost:8453/wsb/akasse-58 (mutual TLS, STAR's certificate only)
                 feed http://127.0.0.1:8083/v1/events   health/metrics http://127.0.0.1:9003/q/health  /q/metrics
  dfdg-poller    drains the fake DFDG into the feed every 30 s (authority DFDG-WSRM)
                 health/metrics http://127.0.0.1:9004/q/health  /q/metrics
  codelist-service  DFDG's code lists http://127.0.0.1:8085/v1/codelists  (fetched at start, then once a day near 03:30 Danish time)
                 health/metrics http://127.0.0.1:9005/q/health  /q/metrics

Try it:
  # a caller token, as a Kubernetes ServiceAccount token would be
  CALLER=\$(curl -s -X POST $ADMIN/admin/caller-tokens -H 'Content-Type: application/json' \\
      -d '{"subject":"system:serviceaccount:local:demo-app","audience":"token-broker"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  # a BCSS access token (the broker signs the client assertion; the fake Smals server checks it)
  curl -s -X POST http://127.0.0.1:8081/v1/tokens -H "Authorization: Bearer \$CALLER" \\
      -H 'Content-Type: application/json' -d '{"scopes":["scope:cbss:api:demo:consult"]}'
  # the certificate to send to BCSS at onboarding
  curl -s http://127.0.0.1:8081/v1/certificates -H "Authorization: Bearer \$CALLER"
  # simulate a Smals outage, then end it: cached tokens keep being served until they expire
  curl -s -X PUT $ADMIN/admin/oauth/faults -H 'Content-Type: application/json' -d '{"refuseConnections":true}'
  curl -s -X DELETE $ADMIN/admin/oauth/faults
  curl -s http://127.0.0.1:9001/q/health/ready ; curl -s http://127.0.0.1:9001/q/metrics | grep ^broker_

  # a BCSS API through the proxy (it adds the access token, mutual TLS and a BelGov-Trace-Id)
  APP=\$(curl -s -X POST $ADMIN/admin/caller-tokens -H 'Content-Type: application/json' \\
      -d '{"subject":"system:serviceaccount:local:demo-app","audience":"bcss-proxy"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -s http://127.0.0.1:8082/v1/bcss/demo/v1/organizations/42 -H "Authorization: Bearer \$APP"
  curl -s -X POST http://127.0.0.1:8082/v1/bcss/demo/v1/persons/search -H "Authorization: Bearer \$APP" \\
      -H 'Content-Type: application/json' -d '{"ssin":"85073003328"}'
  # the onboarding configuration test, step by step
  curl -s http://127.0.0.1:8082/v1/connectivity -H "Authorization: Bearer \$APP"

  # wsb-receiver: STAR pushes 20 notices (2 of them twice) to the webhook over mutual TLS; the answer comes when
  # all are delivered. The same seed sends the same notices again: they are duplicates, stored once.
  curl -s -X POST $ADMIN/admin/wsb/send -H 'Content-Type: application/json' \\
      -d '{"targetUrl":"https://localhost:8453","relativePath":"/wsb/akasse-58","count":20,"duplicateRate":0.1,"seed":1}'
  # the feed, read as demo-app (audience wsb-receiver); go on with after=<next>; wait=5 long-polls when nothing is new
  FEED=\$(curl -s -X POST $ADMIN/admin/caller-tokens -H 'Content-Type: application/json' \\
      -d '{"subject":"system:serviceaccount:local:demo-app","audience":"wsb-receiver"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -s -H "Authorization: Bearer \$FEED" 'http://127.0.0.1:8083/v1/events?after=0&limit=3&wait=5'
  # one notice by hand, with STAR's certificate; sending it again answers "duplicate":true
  curl -s --cacert $STATE/pki/server.crt --cert $STATE/pki/star-client.crt --key $STATE/pki/star-client.key \\
      https://localhost:8453/wsb/akasse-58 -H 'Content-Type: application/json' \\
      -d '{"MeddelelseId":"6f1c2a52-0b7e-4c1e-9a7d-3f5e2d1c0b9a","EntitetId":60010,"EntitetNavn":"Akassemedlemskab","Subjekt":{"IdentifikationType":1,"Identifikation":"0103851234"},"AendringType":1,"Tidspunkt":"2025-03-03T08:01:05+01:00"}'
  curl -s http://127.0.0.1:9003/q/health/ready ; curl -s http://127.0.0.1:9003/q/metrics | grep -E '^wsb_(messages|duplicates|feed_head|inbox)'

  # dfdg-poller: queue 1,200 messages at the fake DFDG for the local organisation (8:58); within 30 s the poller
  # drains them (CreateSequence, Get in pages of 500, ingest, acknowledge, terminate) and DFDG deletes them
  curl -s -X POST $ADMIN/admin/wsrm/load -H 'Content-Type: application/json' \\
      -d '{"subscriber":"8:58","count":1200,"citizens":300,"seed":1}'
  curl -s $ADMIN/admin/wsrm      # queued / in flight / deleted
  # a DFDG fault on the next Get: the poller closes the sequence, logs ErrorCode 1014 once, and drains next time
  curl -s -X PUT $ADMIN/admin/wsrm/faults -H 'Content-Type: application/json' \\
      -d '{"rules":[{"kind":"FAULT_DETAILS","operation":"GetIndkaldelseVersion1","errorCode":1014,"message":"Validation failed"}]}'
  # dfdg-poller: what the last drains did (sequences by outcome, messages fetched/ingested, the queue's size), and
  # whether it is ready (wsrm-drain: a drain emptied the queue recently; dfdg-key-material: FOCES + trust store)
  curl -s http://127.0.0.1:9004/q/metrics | grep -E '^dfdg_(wsrm|soap|client)'
  curl -s http://127.0.0.1:9004/q/health/ready
  # the messages it fetched, in the feed
  curl -s -H "Authorization: Bearer \$FEED" 'http://127.0.0.1:8083/v1/events?after=0&limit=3'

  # codelist-service: a reader (demo-app) and an operator (codelist-operator), audience codelist-service
  CODES=\$(curl -s -X POST $ADMIN/admin/caller-tokens -H 'Content-Type: application/json' \\
      -d '{"subject":"system:serviceaccount:local:demo-app","audience":"codelist-service"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  OPS=\$(curl -s -X POST $ADMIN/admin/caller-tokens -H 'Content-Type: application/json' \\
      -d '{"subject":"system:serviceaccount:local:codelist-operator","audience":"codelist-service"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  # every list (codes, when fetched, stale or not, next fetch); ready once every list has a snapshot
  curl -s -H "Authorization: Bearer \$CODES" http://127.0.0.1:8085/v1/codelists ; curl -s http://127.0.0.1:9005/q/health/ready
  # one list as valid now; as valid on a past date, with the codes that have expired since
  curl -s -H "Authorization: Bearer \$CODES" http://127.0.0.1:8085/v1/codelists/municipalities
  curl -s -H "Authorization: Bearer \$CODES" 'http://127.0.0.1:8085/v1/codelists/municipalities?validAt=2024-01-01&includeExpired=true'
  # one code (an expired one too: codes are looked up whatever their dates)
  curl -s -H "Authorization: Bearer \$CODES" http://127.0.0.1:8085/v1/codelists/municipalities/101
  # asked again with its ETag: 304 Not Modified until the list changes
  ETAG=\$(curl -s -o /dev/null -D - -H "Authorization: Bearer \$CODES" http://127.0.0.1:8085/v1/codelists/municipalities \\
      | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p')
  curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer \$CODES" -H "If-None-Match: \$ETAG" \\
      http://127.0.0.1:8085/v1/codelists/municipalities
  # what accepted fetches changed (ADDED, CHANGED, EXPIRED, REMOVED), oldest first
  curl -s -H "Authorization: Bearer \$CODES" 'http://127.0.0.1:8085/v1/codelists/municipalities/changes?since=2026-01-01'
  # the fake DFDG changes the list: a code added, one renamed, one expired, one removed; the daily fetch (or a forced
  # refresh) takes it, and /changes shows it
  curl -s -X POST $ADMIN/admin/codelists/GetMunicipalityIdentifierCodeList/changes -H 'Content-Type: application/json' \\
      -d '{"add":[{"identifier":998,"name":"Ny Kommune","description":"En ny kommune","startDate":"2027-01-01T00:00:00","endDate":"9999-12-31T23:59:59"}],"rename":[{"identifier":101,"name":"Københavns Kommune"}],"expire":[{"identifier":147,"endDate":"2026-12-31T00:00:00"}],"remove":[151]}'
  # a refresh within 24 h of the last fetch: 409 (DFDG allows one fetch of a list a day); forced with a reason: fetched
  curl -s -X POST http://127.0.0.1:8085/v1/codelists/municipalities/refresh -H "Authorization: Bearer \$OPS" \\
      -H 'Content-Type: application/json' -d '{}'
  curl -s -X POST http://127.0.0.1:8085/v1/codelists/municipalities/refresh -H "Authorization: Bearer \$OPS" \\
      -H 'Content-Type: application/json' -d '{"force":true,"reason":"DFDG announced a new municipality"}'
  # the fake DFDG serves an invalid list (a name too long; or an empty one with .../empty): the next fetch refuses it,
  # the last good snapshot stays, the list is stale (forced here; local forced-min-interval is 0s, production 10m)
  curl -s -X POST $ADMIN/admin/codelists/GetMunicipalityIdentifierCodeList/invalid -H 'Content-Type: application/json' \\
      -d '{"kind":"NAME_TOO_LONG"}'
  curl -s -X POST http://127.0.0.1:8085/v1/codelists/municipalities/refresh -H "Authorization: Bearer \$OPS" \\
      -H 'Content-Type: application/json' -d '{"force":true,"reason":"trying an invalid list"}'
  # a DFDG fault on the next call: no list (502 with its errorCode), the last good snapshot stays; then back to normal
  curl -s -X PUT $ADMIN/admin/codelists/faults -H 'Content-Type: application/json' \\
      -d '{"rules":[{"kind":"FAULT_DETAILS","operation":"GetMunicipalityIdentifierCodeList","errorCode":1014,"message":"Validation failed"}]}'
  curl -s -X POST http://127.0.0.1:8085/v1/codelists/municipalities/refresh -H "Authorization: Bearer \$OPS" \\
      -H 'Content-Type: application/json' -d '{"force":true,"reason":"trying a DFDG fault"}'
  curl -s -X DELETE $ADMIN/admin/codelists/faults
  curl -s -X POST $ADMIN/admin/codelists/reset
  curl -s -X POST http://127.0.0.1:8085/v1/codelists/municipalities/refresh -H "Authorization: Bearer \$OPS" \\
      -H 'Content-Type: application/json' -d '{"force":true,"reason":"back to normal"}'
  curl -s http://127.0.0.1:9005/q/metrics | grep -E '^codelist_'

Press Ctrl-C to stop.
INFO
wait
