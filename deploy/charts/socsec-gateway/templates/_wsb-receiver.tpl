{{/*
wsb-receiver: what only the receiver has. Input of every template here: the chart's root context, except
"wsbReceiver.webhookService" (the service context built in wsb-receiver.yaml).
*/}}

{{- define "wsbReceiver.webhookTlsDir" -}}/etc/socsec-gateway/webhook-tls{{- end -}}
{{- define "wsbReceiver.starTrustDir" -}}/etc/socsec-gateway/star-trust{{- end -}}

{{/* Name of the Service STAR reaches (type LoadBalancer by default). */}}
{{- define "wsbReceiver.webhookServiceName" -}}
{{- $receiver := dict "root" . "svc" .Values.wsbReceiver "component" "wsb-receiver" -}}
{{ .Values.wsbReceiver.webhook.service.name | default (include "socsec.suffixedName" (dict "ctx" $receiver "suffix" "webhook")) }}
{{- end -}}

{{/* wsb.ingest.callers: the configured subjects, plus the chart's dfdg-poller ServiceAccount when it is enabled. */}}
{{- define "wsbReceiver.ingestCallers" -}}
{{- $callers := .Values.wsbReceiver.ingest.callers | default list -}}
{{- if .Values.dfdgPoller.enabled -}}
{{- $callers = append $callers (include "dfdgPoller.subject" .) -}}
{{- end -}}
{{ $callers | uniq | sortAlpha | join "," }}
{{- end -}}

{{- define "wsbReceiver.properties" -}}
{{- $w := .Values.wsbReceiver -}}
{{- $hook := $w.webhook -}}
{{- if not (regexMatch "^(T[0-9]+|prod)$" (toString .Values.dfdg.environment)) -}}
{{- fail (printf "dfdg.environment must be prod or a STAR test environment T<n> (e.g. T10), not %q" (toString .Values.dfdg.environment)) -}}
{{- end -}}
{{- $_ := required "wsbReceiver.database.existingSecret is required: an existing Secret with the PostgreSQL connection (keys url = jdbc:postgresql://<host>:5432/<db>, username, password); the chart never creates it, see deploy/README.md" $w.database.existingSecret -}}
{{- $_ := required "wsbReceiver.webhook.tls.existingSecret is required: an existing kubernetes.io/tls Secret with the server certificate STAR sees (from a CA STAR trusts), see deploy/README.md" $hook.tls.existingSecret -}}
{{- $_ := required "wsbReceiver.webhook.starTrust.name is required: an existing Secret or ConfigMap with STAR's client certificate (sys-org-star.cer / sys-org-star-test.cer) and/or its CA chain, PEM" $hook.starTrust.name -}}
{{- if not $hook.starTrust.keys -}}
{{- fail "wsbReceiver.webhook.starTrust.keys must name at least one PEM file of the trust store (e.g. sys-org-star-test.cer)" -}}
{{- end -}}
{{- if and $hook.requireSourceRanges (not (or $hook.service.loadBalancerSourceRanges $hook.allowedCidrs)) -}}
{{- fail "wsbReceiver.webhook.requireSourceRanges is set (values-prod.yaml): set wsbReceiver.webhook.allowedCidrs (or .service.loadBalancerSourceRanges) to STAR's sender addresses, so that the webhook is not open to the internet (ask STAR for them, deploy/README.md)" -}}
{{- end -}}
{{- if and $hook.requirePin (not $hook.pinnedSha256) -}}
{{- fail "wsbReceiver.webhook.requirePin is set (values-prod.yaml): set wsbReceiver.webhook.pinnedSha256 to the SHA-256 fingerprint of STAR's client certificate (openssl x509 -in sys-org-star.cer -noout -fingerprint -sha256)" -}}
{{- end -}}
{{- if not (has $hook.starTrust.kind (list "Secret" "ConfigMap")) -}}
{{- fail (printf "wsbReceiver.webhook.starTrust.kind must be Secret or ConfigMap, not %q" $hook.starTrust.kind) -}}
{{- end -}}
# wsb-receiver: STAR/DFDG WSB webhooks ({{ .Values.dfdg.environment }}), the inbox and the event feed

# Webhook: HTTPS with mutual TLS terminated in the pod (Quarkus TLS configuration "webhook"); STAR reaches it on
# port {{ $hook.service.port }} of Service {{ include "wsbReceiver.webhookServiceName" . }}.
quarkus.http.ssl-port={{ $w.ports.webhook }}
# Server certificate STAR sees: Secret {{ $hook.tls.existingSecret }}; STAR's client certificate / CA: {{ $hook.starTrust.kind }} {{ $hook.starTrust.name }}.
quarkus.tls.webhook.key-store.pem.0.cert={{ include "wsbReceiver.webhookTlsDir" . }}/{{ $hook.tls.cert }}
quarkus.tls.webhook.key-store.pem.0.key={{ include "wsbReceiver.webhookTlsDir" . }}/{{ $hook.tls.key }}
{{- $trustFiles := list -}}
{{- range $hook.starTrust.keys -}}
{{- $trustFiles = append $trustFiles (printf "%s/%s" (include "wsbReceiver.starTrustDir" $) .) -}}
{{- end }}
quarkus.tls.webhook.trust-store.pem.certs={{ $trustFiles | join "," }}
# Files re-read when Kubernetes swaps the mounted Secrets (certificate renewal without a restart).
quarkus.tls.webhook.reload-period={{ $hook.tls.reloadPeriod }}
{{- with $hook.pinnedSha256 }}
wsb.webhook.pinned-sha256={{ . | uniq | join "," }}
{{- else }}
# No pinned fingerprint: every client certificate the trust store accepts counts as STAR, so the trust store
# must hold STAR's own certificate, not only its CA (with a CA certificate in it the receiver refuses to start).
{{- end }}
{{- if $hook.allowUnpinned }}
# Explicitly intended: without a pin, every certificate of the CA in the trust store may deliver as STAR.
wsb.webhook.allow-unpinned=true
{{- end }}
wsb.webhook.max-message-size={{ $hook.maxMessageSize }}

# Webhook endpoints: relative paths (appended to the base URL registered at STAR) and the authority of each
{{- if not $hook.endpoints }}
# none configured: no webhook path accepts messages until wsbReceiver.webhook.endpoints names them
{{- end }}
{{- $paths := list }}
{{- range $i, $endpoint := ($hook.endpoints | default list) }}
{{- if not (regexMatch "^(/[A-Za-z0-9._~-]+)+$" (toString $endpoint.path)) }}
{{- fail (printf "wsbReceiver.webhook.endpoints[%d].path must be an absolute path of plain segments, e.g. /wsb/akasse-58, not %q" $i (toString $endpoint.path)) }}
{{- end }}
{{- if has $endpoint.path $paths }}
{{- fail (printf "wsbReceiver.webhook.endpoints[%d].path %q is configured twice" $i $endpoint.path) }}
{{- end }}
{{- $paths = append $paths $endpoint.path }}
{{- if not $endpoint.authority }}
{{- fail (printf "wsbReceiver.webhook.endpoints[%d].authority is required" $i) }}
{{- end }}
wsb.webhook.endpoints[{{ $i }}].path={{ $endpoint.path }}
wsb.webhook.endpoints[{{ $i }}].authority={{ include "socsec.propValue" $endpoint.authority }}
{{- end }}

# POST /v1/ingest: batches fetched over WSRM by dfdg-poller
{{- with (include "wsbReceiver.ingestCallers" .) }}
wsb.ingest.callers={{ . }}
{{- else }}
# none configured: every ingest is refused until dfdgPoller.enabled or wsbReceiver.ingest.callers names a caller
{{- end }}
wsb.ingest.max-batch={{ $w.ingest.maxBatch }}
{{- with $w.wsrm.receiptReaders }}
# GET /v1/wsrm/sequences: who else may read the WSRM sequence receipts (the ingest callers record and read them)
wsb.wsrm.receipt-readers={{ . | uniq | sortAlpha | join "," }}
{{- end }}

# GET /v1/events: the feed, and who may read which part of it (types = EntitetId, authorities; absent = all)
wsb.feed.max-wait={{ $w.feed.maxWait }}
wsb.feed.max-limit={{ $w.feed.maxLimit }}
{{- if not $w.readers }}
# none configured: every read is refused with 403 until wsbReceiver.readers names the applications
{{- end }}
{{- range $i, $reader := ($w.readers | default list) }}
{{- if not $reader.subject }}
{{- fail (printf "wsbReceiver.readers[%d].subject is required" $i) }}
{{- end }}
wsb.readers[{{ $i }}].subject={{ include "socsec.propValue" $reader.subject }}
{{- with $reader.types }}
wsb.readers[{{ $i }}].types={{ . | uniq | sortAlpha | join "," }}
{{- end }}
{{- with $reader.authorities }}
wsb.readers[{{ $i }}].authorities={{ . | uniq | sortAlpha | join "," }}
{{- end }}
{{- end }}

# Retention: events, and the receipt records STAR requires to keep 6 months (docs/partners.md)
wsb.retention.events={{ $w.retention.events }}
wsb.retention.receipts={{ $w.retention.receipts }}

# PostgreSQL: JDBC URL, user and password only in env QUARKUS_DATASOURCE_* from Secret {{ $w.database.existingSecret }}.
{{ include "socsec.databasePool" (dict "svc" $w "key" "wsbReceiver") }}
{{- end -}}

{{- define "wsbReceiver.volumes" -}}
{{- $hook := .Values.wsbReceiver.webhook -}}
{{- $items := list -}}
{{- range $hook.starTrust.keys -}}
{{- $items = append $items (dict "key" . "path" .) -}}
{{- end -}}
- name: webhook-tls
  secret:
    secretName: {{ $hook.tls.existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ $hook.tls.cert }}
        path: {{ $hook.tls.cert }}
      - key: {{ $hook.tls.key }}
        path: {{ $hook.tls.key }}
- name: star-trust
{{- if eq $hook.starTrust.kind "ConfigMap" }}
  configMap:
    name: {{ $hook.starTrust.name }}
    items:
      {{- toYaml $items | nindent 6 }}
{{- else }}
  secret:
    secretName: {{ $hook.starTrust.name }}
    defaultMode: 0440
    items:
      {{- toYaml $items | nindent 6 }}
{{- end }}
{{- end -}}

{{/* Whole directories (no subPath), so that renewed certificates reach the pod. */}}
{{- define "wsbReceiver.volumeMounts" -}}
- name: webhook-tls
  mountPath: {{ include "wsbReceiver.webhookTlsDir" . }}
  readOnly: true
- name: star-trust
  mountPath: {{ include "wsbReceiver.starTrustDir" . }}
  readOnly: true
{{- end -}}

{{- define "wsbReceiver.env" -}}
{{ include "socsec.databaseEnv" .Values.wsbReceiver.database }}
{{- end -}}

{{- define "wsbReceiver.extraPorts" -}}
- name: webhook
  containerPort: {{ .Values.wsbReceiver.ports.webhook }}
  protocol: TCP
{{- end -}}

{{/* Who may reach the receiver's API: the chart's dfdg-poller pods (when enabled) and the configured peers. */}}
{{- define "wsbReceiver.ingressFrom" -}}
{{- $labelled := (include "socsec.callerPeers" (dict "root" . "labels" (list "socsec-gateway/wsb-client")) | fromYaml).peers -}}
{{- $peers := concat $labelled (.Values.wsbReceiver.networkPolicy.ingressFrom | default list) -}}
{{- if .Values.dfdgPoller.enabled -}}
{{- $ctx := dict "root" . "svc" .Values.dfdgPoller "component" "dfdg-poller" -}}
{{- $peers = prepend $peers (include "socsec.podPeer" $ctx | fromYaml) -}}
{{- end -}}
{{- toYaml (dict "peers" $peers) -}}
{{- end -}}

{{/* STAR's pushes on the webhook port: from anywhere, or only from webhook.allowedCidrs. */}}
{{- define "wsbReceiver.extraIngress" -}}
{{- $w := .Values.wsbReceiver -}}
{{- if $w.webhook.allowedCidrs }}
# STAR's webhook pushes (mutual TLS in the pod): only from wsbReceiver.webhook.allowedCidrs
- from:
    {{- range $w.webhook.allowedCidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    - protocol: TCP
      port: {{ $w.ports.webhook }}
{{- else }}
# STAR's webhook pushes (mutual TLS in the pod): from anywhere
- ports:
    - protocol: TCP
      port: {{ $w.ports.webhook }}
{{- end }}
{{- end -}}

{{- define "wsbReceiver.egress" -}}
{{ include "socsec.databaseEgress" (dict "np" .Values.wsbReceiver.networkPolicy "key" "wsbReceiver" "enabled" .Values.networkPolicy.enabled) | trim }}
{{- end -}}

{{/* The Service STAR connects to (port 443 -> the pod's webhook port). Input: the service context. */}}
{{- define "wsbReceiver.webhookService" -}}
{{- $hook := .svc.webhook -}}
{{- $s := $hook.service -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "wsbReceiver.webhookServiceName" .root }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "socsec.labels" . | nindent 4 }}
  {{- $annotations := $s.annotations | default dict }}
  {{- if $s.keepOnDelete }}
  {{- /* The load balancer's address is what STAR's DNS entry points at: uninstalling the release or deleting the
         Argo CD Application must not release it. */}}
  {{- $annotations = merge (dict "helm.sh/resource-policy" "keep" "argocd.argoproj.io/sync-options" "Delete=false") $annotations }}
  {{- end }}
  {{- with $annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $s.type }}
  {{- if has $s.type (list "LoadBalancer" "NodePort") }}
  externalTrafficPolicy: {{ $s.externalTrafficPolicy }}
  {{- end }}
  {{- if eq $s.type "LoadBalancer" }}
  {{- with ($s.loadBalancerSourceRanges | default $hook.allowedCidrs) }}
  loadBalancerSourceRanges:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- end }}
  selector:
    {{- include "socsec.selectorLabels" . | nindent 4 }}
  ports:
    - name: https
      port: {{ $s.port }}
      targetPort: webhook
      protocol: TCP
{{- end -}}
