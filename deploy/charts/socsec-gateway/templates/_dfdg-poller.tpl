{{/*
dfdg-poller: what only the poller has. Input of every template here: the chart's root context.
Every property name of the poller is written in "dfdgPoller.properties" below and nowhere else in the chart, except
the DFDG headers and TLS it shares with codelist-service (_dfdg.tpl).
*/}}

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
{{ include "socsec.audience" $receiver }}
{{- end -}}

{{- define "dfdgPoller.properties" -}}
{{- $p := .Values.dfdgPoller -}}
{{- if not (regexMatch "^https://[^/?#]+/" (toString $p.dfdg.wsrmServiceUrl)) -}}
{{- fail (printf "dfdgPoller.dfdg.wsrmServiceUrl must be DFDG's WsrmService https:// URL (e.g. https://service.bm.dk/PjakTassWCFtService/1/WsrmService.svc), not %q" (toString $p.dfdg.wsrmServiceUrl)) -}}
{{- end -}}
{{- $dfdg := dict "root" . "v" $p "key" "dfdgPoller" -}}
{{- include "dfdg.validate" $dfdg -}}
{{- if and (not $p.ingest.url) (not .Values.wsbReceiver.enabled) -}}
{{- fail "dfdgPoller.ingest.url is required when wsbReceiver.enabled is false" -}}
{{- end -}}
{{- if and .Values.wsbReceiver.enabled (not $p.ingest.url) (gt (int $p.wsrm.ingestBatch) (int .Values.wsbReceiver.ingest.maxBatch)) -}}
{{- fail (printf "dfdgPoller.wsrm.ingestBatch (%v) must not exceed wsbReceiver.ingest.maxBatch (%v): larger batches are refused" $p.wsrm.ingestBatch .Values.wsbReceiver.ingest.maxBatch) -}}
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

{{ include "dfdg.callerProperties" $dfdg }}

{{ include "dfdg.tlsProperties" $dfdg }}

# wsb-receiver, called with the poller's projected ServiceAccount token (audience {{ include "dfdgPoller.tokenAudience" . }})
poller.ingest.url={{ include "dfdgPoller.receiverUrl" . }}
poller.ingest.token-file={{ include "dfdgPoller.tokenDir" . }}/{{ include "dfdgPoller.tokenFileName" . }}
poller.ingest.authority={{ $p.ingest.authority }}
poller.ingest.timeout={{ $p.ingest.timeout }}
{{- end -}}

{{- define "dfdgPoller.volumes" -}}
{{- $p := .Values.dfdgPoller -}}
{{ include "dfdg.volumes" (dict "root" . "v" $p "key" "dfdgPoller") }}
- name: receiver-token
  projected:
    defaultMode: 0440
    sources:
      - serviceAccountToken:
          audience: {{ include "dfdgPoller.tokenAudience" . }}
          expirationSeconds: {{ $p.ingest.tokenExpirationSeconds }}
          path: {{ include "dfdgPoller.tokenFileName" . }}
{{- end -}}

{{- define "dfdgPoller.volumeMounts" -}}
{{ include "dfdg.volumeMounts" (dict "root" . "v" .Values.dfdgPoller "key" "dfdgPoller") }}
- name: receiver-token
  mountPath: {{ include "dfdgPoller.tokenDir" . }}
  readOnly: true
{{- end -}}

{{- define "dfdgPoller.env" -}}
{{ include "dfdg.env" (dict "root" . "v" .Values.dfdgPoller "key" "dfdgPoller") }}
{{- end -}}

{{/* Egress besides DNS: DFDG's hosts on 443 (only the configured CIDRs; none = no egress to DFDG) and wsb-receiver. */}}
{{- define "dfdgPoller.egress" -}}
{{- $np := .Values.dfdgPoller.networkPolicy -}}
{{ include "dfdg.egress" (dict "cidrs" $np.dfdgCidrs "ports" $np.dfdgPorts "key" "dfdgPoller") | trim }}
{{- if .Values.wsbReceiver.enabled }}
{{- $receiver := dict "root" . "svc" .Values.wsbReceiver "component" "wsb-receiver" }}
# the chart's wsb-receiver: POST /v1/ingest, PUT /v1/wsrm/sequences/{id}
- to:
    - {{ include "socsec.podPeer" $receiver | nindent 6 | trim }}
  ports:
    - protocol: TCP
      port: {{ .Values.wsbReceiver.ports.http }}
{{- end }}
{{- end -}}
