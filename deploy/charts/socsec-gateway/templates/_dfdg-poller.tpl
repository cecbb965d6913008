{{/*
dfdg-poller: what only the poller has. Input of every template here: the chart's root context.
Every property name of the poller is written in "dfdgPoller.properties" below and nowhere else in the chart.
*/}}

{{- define "dfdgPoller.clientCertDir" -}}/etc/socsec-gateway/dfdg-client{{- end -}}
{{- define "dfdgPoller.trustDir" -}}/etc/socsec-gateway/dfdg-trust{{- end -}}
{{- define "dfdgPoller.tokenDir" -}}/var/run/secrets/tokens{{- end -}}
{{/* poller.ingest.token-file = tokenDir + "/" + this file name (the application's default path) */}}
{{- define "dfdgPoller.tokenFileName" -}}wsb-receiver{{- end -}}

{{/* The poller's caller subject at wsb-receiver: system:serviceaccount:<release namespace>:<ServiceAccount>. */}}
{{- define "dfdgPoller.subject" -}}
{{- $poller := dict "root" . "svc" .Values.dfdgPoller "component" "dfdg-poller" -}}
{{ printf "system:serviceaccount:%s:%s" .Release.Namespace (include "socsec.serviceAccountName" $poller) }}
{{- end -}}

{{- define "dfdgPoller.receiverUrl" -}}
{{- if .Values.dfdgPoller.ingest.url -}}
{{ .Values.dfdgPoller.ingest.url }}
{{- else -}}
{{- $receiver := dict "root" . "svc" .Values.wsbReceiver "component" "wsb-receiver" -}}
{{ printf "http://%s.%s.svc:%v" (include "socsec.name" $receiver) .Release.Namespace .Values.wsbReceiver.ports.http }}
{{- end -}}
{{- end -}}

{{/* Audience of the poller's projected token: the name wsb-receiver verifies (mp.jwt.verify.audiences). */}}
{{- define "dfdgPoller.tokenAudience" -}}
{{- $receiver := dict "root" . "svc" .Values.wsbReceiver "component" "wsb-receiver" -}}
{{ include "socsec.name" $receiver }}
{{- end -}}

{{- define "dfdgPoller.properties" -}}
{{- $p := .Values.dfdgPoller -}}
{{- $cert := $p.clientCertificate -}}
{{- $trust := $p.serverTrust -}}
{{- if not (regexMatch "^https://[^/?#]+/" (toString $p.dfdg.wsrmServiceUrl)) -}}
{{- fail (printf "dfdgPoller.dfdg.wsrmServiceUrl must be DFDG's WsrmService https:// URL (e.g. https://service.bm.dk/PjakTassWCFtService/1/WsrmService.svc), not %q" (toString $p.dfdg.wsrmServiceUrl)) -}}
{{- end -}}
{{- $_ := required "dfdgPoller.clientCertificate.existingSecret is required: an existing Secret with the organisation's FOCES certificate (PKCS#12 with a password key, or PEM certificate and key); the chart never creates it, see deploy/README.md" $cert.existingSecret -}}
{{- $_ := required "dfdgPoller.serverTrust.name is required: an existing Secret or ConfigMap with the PEM CA chain of DFDG's server certificate" $trust.name -}}
{{- if not $trust.keys -}}
{{- fail "dfdgPoller.serverTrust.keys must name at least one PEM file of the trust store" -}}
{{- end -}}
{{- if not (has $trust.kind (list "Secret" "ConfigMap")) -}}
{{- fail (printf "dfdgPoller.serverTrust.kind must be Secret or ConfigMap, not %q" $trust.kind) -}}
{{- end -}}
{{- if and (not $p.ingest.url) (not .Values.wsbReceiver.enabled) -}}
{{- fail "dfdgPoller.ingest.url is required when wsbReceiver.enabled is false" -}}
{{- end -}}
{{- if and .Values.wsbReceiver.enabled (not $p.ingest.url) (gt (int $p.wsrm.ingestBatch) (int .Values.wsbReceiver.ingest.maxBatch)) -}}
{{- fail (printf "dfdgPoller.wsrm.ingestBatch (%v) must not exceed wsbReceiver.ingest.maxBatch (%v): larger batches are refused" $p.wsrm.ingestBatch .Values.wsbReceiver.ingest.maxBatch) -}}
{{- end -}}
{{- if not (regexMatch "^CVR:[0-9]{8}-UUID:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" (toString $p.caller.userIdentifier)) -}}
{{- fail (printf "dfdgPoller.caller.userIdentifier must be the FOCES certificate's identity CVR:<8 digits>-UUID:<uuid>, not %q" (toString $p.caller.userIdentifier)) -}}
{{- end -}}
# dfdg-poller: DFDG's WSRM pull queue ({{ .Values.dfdg.environment }}) into wsb-receiver

# Schedule (at most 10m between drains: DFDG asks for every 10 minutes or more often)
poller.schedule.every={{ $p.schedule.every }}
poller.schedule.initial-delay={{ $p.schedule.initialDelay }}
poller.schedule.unhealthy-after-intervals={{ $p.schedule.unhealthyAfterIntervals }}

# DFDG: the WsrmService, and the hosts the inventory's ServiceEndpoints may point at
poller.dfdg.wsrm-service-url={{ include "socsec.propValue" $p.dfdg.wsrmServiceUrl }}
{{- with $p.dfdg.allowedHosts }}
poller.dfdg.allowed-hosts={{ . | uniq | join "," }}
{{- else }}
# allowed hosts: the host of the WsrmService URL only
{{- end }}

# WSRM
{{- if not (kindIs "invalid" $p.wsrm.subQueue) }}
poller.wsrm.sub-queue={{ $p.wsrm.subQueue }}
{{- end }}
poller.wsrm.acknowledge={{ $p.wsrm.acknowledge }}
poller.wsrm.ingest-batch={{ $p.wsrm.ingestBatch }}

# The two headers on every DFDG call
dfdg.caller.organisation-type={{ $p.caller.organisationType }}
dfdg.caller.organisation-code={{ include "socsec.propValue" $p.caller.organisationCode }}
{{- $requestOrganisationCode := $p.caller.requestOrganisationCode | default "" }}
{{- if kindIs "float64" $requestOrganisationCode }}
{{- $requestOrganisationCode = int64 $requestOrganisationCode }}
{{- end }}
{{- with (toString $requestOrganisationCode) }}
dfdg.caller.request-organisation-code={{ include "socsec.propValue" . }}
{{- end }}
dfdg.caller.user-full-name={{ include "socsec.propValue" $p.caller.userFullName }}
dfdg.caller.user-type={{ $p.caller.userType }}
dfdg.caller.user-identifier={{ $p.caller.userIdentifier }}
{{- with $p.caller.userEmail }}
dfdg.caller.user-email={{ include "socsec.propValue" . }}
{{- end }}
dfdg.caller.registration-time-with-offset={{ $p.caller.registrationTimeWithOffset }}

# Mutual TLS with DFDG (TLS configuration "dfdg"): FOCES certificate from Secret {{ $cert.existingSecret }},
# DFDG's CA from {{ $trust.kind }} {{ $trust.name }}; files re-read when Kubernetes swaps the mounted Secrets.
{{- if eq $cert.format "pkcs12" }}
quarkus.tls.dfdg.key-store.p12.path={{ include "dfdgPoller.clientCertDir" . }}/{{ $cert.pkcs12.file }}
# The password itself is only in env DFDG_FOCES_P12_PASSWORD (Secret key {{ $cert.pkcs12.passwordKey }}).
quarkus.tls.dfdg.key-store.p12.password=${DFDG_FOCES_P12_PASSWORD}
{{- with $cert.pkcs12.alias }}
quarkus.tls.dfdg.key-store.p12.alias={{ include "socsec.propValue" . }}
{{- end }}
{{- else if eq $cert.format "pem" }}
quarkus.tls.dfdg.key-store.pem.0.cert={{ include "dfdgPoller.clientCertDir" . }}/{{ $cert.pem.cert }}
quarkus.tls.dfdg.key-store.pem.0.key={{ include "dfdgPoller.clientCertDir" . }}/{{ $cert.pem.key }}
{{- else }}
{{- fail (printf "dfdgPoller.clientCertificate.format must be pkcs12 or pem, not %q" $cert.format) }}
{{- end }}
{{- $trustFiles := list -}}
{{- range $trust.keys -}}
{{- $trustFiles = append $trustFiles (printf "%s/%s" (include "dfdgPoller.trustDir" $) .) -}}
{{- end }}
quarkus.tls.dfdg.trust-store.pem.certs={{ $trustFiles | join "," }}
quarkus.tls.dfdg.reload-period={{ $cert.reloadPeriod }}

# wsb-receiver, called with the poller's projected ServiceAccount token (audience {{ include "dfdgPoller.tokenAudience" . }})
poller.ingest.url={{ include "dfdgPoller.receiverUrl" . }}
poller.ingest.token-file={{ include "dfdgPoller.tokenDir" . }}/{{ include "dfdgPoller.tokenFileName" . }}
poller.ingest.authority={{ $p.ingest.authority }}
poller.ingest.timeout={{ $p.ingest.timeout }}
{{- end -}}

{{- define "dfdgPoller.volumes" -}}
{{- $p := .Values.dfdgPoller -}}
{{- $cert := $p.clientCertificate -}}
{{- $trust := $p.serverTrust -}}
{{- $items := list -}}
{{- range $trust.keys -}}
{{- $items = append $items (dict "key" . "path" .) -}}
{{- end -}}
- name: dfdg-client
  secret:
    secretName: {{ $cert.existingSecret }}
    defaultMode: 0440
    items:
      {{- if eq $cert.format "pkcs12" }}
      - key: {{ $cert.pkcs12.file }}
        path: {{ $cert.pkcs12.file }}
      {{- else }}
      - key: {{ $cert.pem.cert }}
        path: {{ $cert.pem.cert }}
      - key: {{ $cert.pem.key }}
        path: {{ $cert.pem.key }}
      {{- end }}
- name: dfdg-trust
{{- if eq $trust.kind "ConfigMap" }}
  configMap:
    name: {{ $trust.name }}
    items:
      {{- toYaml $items | nindent 6 }}
{{- else }}
  secret:
    secretName: {{ $trust.name }}
    defaultMode: 0440
    items:
      {{- toYaml $items | nindent 6 }}
{{- end }}
- name: receiver-token
  projected:
    defaultMode: 0440
    sources:
      - serviceAccountToken:
          audience: {{ include "dfdgPoller.tokenAudience" . }}
          expirationSeconds: {{ $p.ingest.tokenExpirationSeconds }}
          path: {{ include "dfdgPoller.tokenFileName" . }}
{{- end -}}

{{/* Whole directories (no subPath), so that renewed certificates reach the pod. */}}
{{- define "dfdgPoller.volumeMounts" -}}
- name: dfdg-client
  mountPath: {{ include "dfdgPoller.clientCertDir" . }}
  readOnly: true
- name: dfdg-trust
  mountPath: {{ include "dfdgPoller.trustDir" . }}
  readOnly: true
- name: receiver-token
  mountPath: {{ include "dfdgPoller.tokenDir" . }}
  readOnly: true
{{- end -}}

{{/* The PKCS#12 password, only from the Secret. */}}
{{- define "dfdgPoller.env" -}}
{{- $cert := .Values.dfdgPoller.clientCertificate -}}
{{- if eq $cert.format "pkcs12" }}
- name: DFDG_FOCES_P12_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $cert.pkcs12.passwordSecret | default $cert.existingSecret }}
      key: {{ $cert.pkcs12.passwordKey }}
{{- end }}
{{- end -}}

{{/* Egress besides DNS: DFDG's hosts on 443 (only the configured CIDRs; none = no egress to DFDG) and wsb-receiver. */}}
{{- define "dfdgPoller.egress" -}}
{{- $np := .Values.dfdgPoller.networkPolicy -}}
{{- if $np.dfdgCidrs }}
# DFDG (WsrmService and the inventory's endpoints): only dfdgPoller.networkPolicy.dfdgCidrs
{{ include "socsec.egressRule" (dict "cidrs" $np.dfdgCidrs "ports" $np.dfdgPorts) | trim }}
{{- else }}
# DFDG: no egress, dfdgPoller.networkPolicy.dfdgCidrs is empty (DFDG does not publish its addresses; set them)
{{- end }}
{{- if .Values.wsbReceiver.enabled }}
{{- $receiver := dict "root" . "svc" .Values.wsbReceiver "component" "wsb-receiver" }}
# the chart's wsb-receiver: POST /v1/ingest, PUT /v1/wsrm/sequences/{id}
- to:
    - podSelector:
        matchLabels:
          {{- include "socsec.selectorLabels" $receiver | nindent 10 }}
  ports:
    - protocol: TCP
      port: {{ .Values.wsbReceiver.ports.http }}
{{- end }}
{{- end -}}
