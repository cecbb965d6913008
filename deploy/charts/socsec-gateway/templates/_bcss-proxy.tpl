{{/*
bcss-proxy: what only the proxy has. Input of every template here: the chart's root context.
*/}}

{{- define "bcssProxy.clientCertDir" -}}/etc/socsec-gateway/bcss-client{{- end -}}
{{- define "bcssProxy.trustDir" -}}/etc/socsec-gateway/bcss-trust{{- end -}}
{{- define "bcssProxy.tokenDir" -}}/var/run/secrets/tokens{{- end -}}
{{/* proxy.broker.token-file = tokenDir + "/" + this file name */}}
{{- define "bcssProxy.tokenFileName" -}}token-broker{{- end -}}

{{/* Every scope of the proxy's APIs, sorted, comma-separated. */}}
{{- define "bcssProxy.scopes" -}}
{{- $scopes := list -}}
{{- range $name, $api := .Values.bcssProxy.apis -}}
{{- $scopes = concat $scopes ($api.scopes | default list) -}}
{{- end -}}
{{ $scopes | uniq | sortAlpha | join "," }}
{{- end -}}

{{- define "bcssProxy.brokerUrl" -}}
{{- if .Values.bcssProxy.broker.url -}}
{{ .Values.bcssProxy.broker.url }}
{{- else -}}
{{- $broker := dict "root" . "svc" .Values.tokenBroker "component" "token-broker" -}}
{{ printf "http://%s.%s.svc:%v" (include "socsec.name" $broker) .Release.Namespace .Values.tokenBroker.ports.http }}
{{- end -}}
{{- end -}}

{{/* The broker's audience: its name plus the release id (socsec.audience), unless broker.tokenAudience is set. */}}
{{- define "bcssProxy.tokenAudience" -}}
{{- $broker := dict "root" . "svc" .Values.tokenBroker "component" "token-broker" -}}
{{ .Values.bcssProxy.broker.tokenAudience | default (include "socsec.audience" $broker) }}
{{- end -}}

{{- define "bcssProxy.properties" -}}
{{- $p := .Values.bcssProxy -}}
{{- if not $p.apis -}}
{{- fail "bcssProxy.apis must name at least one BCSS API" -}}
{{- end -}}
{{- if not $p.clientCertificate.existingSecret -}}
{{- fail "bcssProxy.clientCertificate.existingSecret is required (Secret with the BCSS client certificate)" -}}
{{- end -}}
{{- if and (not $p.broker.url) (not .Values.tokenBroker.enabled) -}}
{{- fail "bcssProxy.broker.url is required when tokenBroker.enabled is false" -}}
{{- end -}}
# bcss-proxy: BCSS REST gateway
proxy.environment={{ .Values.bcss.environment }}
proxy.channel={{ .Values.bcss.channel }}

# Allow-listed APIs
{{- range $name, $api := $p.apis }}
{{- if not (regexMatch "^[a-z0-9][a-z0-9_-]*$" $name) }}
{{- fail (printf "bcssProxy.apis: API name %q must be lower case letters, digits, '-' or '_'" $name) }}
{{- end }}
{{- if not $api.scopes }}
{{- fail (printf "bcssProxy.apis.%s.scopes is required" $name) }}
{{- end }}
proxy.apis.{{ $name }}.scopes={{ $api.scopes | uniq | sortAlpha | join "," }}
{{- with $api.baseUrl }}
proxy.apis.{{ $name }}.base-url={{ include "socsec.propValue" . }}
{{- end }}
{{- with $api.timeout }}
proxy.apis.{{ $name }}.timeout={{ . }}
{{- end }}
{{- with $api.maxConcurrent }}
proxy.apis.{{ $name }}.max-concurrent={{ . }}
{{- end }}
{{- with $api.maxQueued }}
proxy.apis.{{ $name }}.max-queued={{ . }}
{{- end }}
{{- with $api.maxQueueWait }}
proxy.apis.{{ $name }}.max-queue-wait={{ . }}
{{- end }}
{{- with $api.healthPath }}
proxy.apis.{{ $name }}.health-path={{ include "socsec.propValue" . }}
{{- end }}
{{- end }}

# Callers (subject = system:serviceaccount:<namespace>:<ServiceAccount>) and the APIs each may call
{{- if not $p.callers }}
# none configured: every call is refused with 403 until bcssProxy.callers names the applications
{{- end }}
{{- range $i, $caller := ($p.callers | default list) }}
{{- if not $caller.subject }}
{{- fail (printf "bcssProxy.callers[%d].subject is required" $i) }}
{{- end }}
{{- range $caller.apis }}
{{- if not (hasKey $p.apis .) }}
{{- fail (printf "bcssProxy.callers[%d]: API %q is not in bcssProxy.apis" $i .) }}
{{- end }}
{{- end }}
proxy.callers[{{ $i }}].subject={{ include "socsec.propValue" $caller.subject }}
proxy.callers[{{ $i }}].apis={{ $caller.apis | default list | uniq | sortAlpha | join "," }}
{{- end }}

# Operators who may run GET /v1/connectivity (it opens connections to BCSS and gets real tokens)
{{- with ($p.connectivity).operators }}
proxy.connectivity.operators={{ . | uniq | sortAlpha | join "," }}
{{- else }}
# none configured: GET /v1/connectivity is refused with 403 until bcssProxy.connectivity.operators names them
{{- end }}

# Mutual TLS towards BCSS: client certificate from Secret {{ $p.clientCertificate.existingSecret }}
proxy.gateway.tls-configuration-name=bcss-gateway
quarkus.tls.bcss-gateway.key-store.pem.0.cert={{ include "bcssProxy.clientCertDir" . }}/{{ $p.clientCertificate.cert }}
quarkus.tls.bcss-gateway.key-store.pem.0.key={{ include "bcssProxy.clientCertDir" . }}/{{ $p.clientCertificate.key }}
{{- if $p.trustConfigMap.name }}
quarkus.tls.bcss-gateway.trust-store.pem.certs={{ include "bcssProxy.trustDir" . }}/{{ $p.trustConfigMap.key }}
{{- else }}
# Server certificates of BCSS are checked against the JVM trust store.
{{- end }}

# Token broker, called with the proxy's projected ServiceAccount token (audience {{ include "bcssProxy.tokenAudience" . }})
proxy.broker.url={{ include "bcssProxy.brokerUrl" . }}
proxy.broker.token-file={{ include "bcssProxy.tokenDir" . }}/{{ include "bcssProxy.tokenFileName" . }}
{{- end -}}

{{- define "bcssProxy.volumes" -}}
{{- $p := .Values.bcssProxy -}}
- name: bcss-client
  secret:
    secretName: {{ $p.clientCertificate.existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ $p.clientCertificate.cert }}
        path: {{ $p.clientCertificate.cert }}
      - key: {{ $p.clientCertificate.key }}
        path: {{ $p.clientCertificate.key }}
{{- if $p.trustConfigMap.name }}
- name: bcss-trust
  configMap:
    name: {{ $p.trustConfigMap.name }}
    items:
      - key: {{ $p.trustConfigMap.key }}
        path: {{ $p.trustConfigMap.key }}
{{- end }}
- name: broker-token
  projected:
    defaultMode: 0440
    sources:
      - serviceAccountToken:
          audience: {{ include "bcssProxy.tokenAudience" . }}
          expirationSeconds: {{ $p.broker.tokenExpirationSeconds }}
          path: {{ include "bcssProxy.tokenFileName" . }}
{{- end -}}

{{- define "bcssProxy.volumeMounts" -}}
- name: bcss-client
  mountPath: {{ include "bcssProxy.clientCertDir" . }}
  readOnly: true
{{- if .Values.bcssProxy.trustConfigMap.name }}
- name: bcss-trust
  mountPath: {{ include "bcssProxy.trustDir" . }}
  readOnly: true
{{- end }}
- name: broker-token
  mountPath: {{ include "bcssProxy.tokenDir" . }}
  readOnly: true
{{- end -}}

{{/* Who may reach the proxy's API: namespaces and pods labelled socsec-gateway/bcss-client=<release id>, and the
configured peers. */}}
{{- define "bcssProxy.ingressFrom" -}}
{{- $labelled := (include "socsec.callerPeers" (dict "root" . "labels" (list "socsec-gateway/bcss-client")) | fromYaml).peers -}}
{{- toYaml (dict "peers" (concat $labelled (.Values.bcssProxy.networkPolicy.ingressFrom | default list))) -}}
{{- end -}}

{{- define "bcssProxy.egress" -}}
{{- $np := .Values.bcssProxy.networkPolicy -}}
{{- $ports := $np.bcssPorts -}}
{{- if not $ports -}}
{{- $ports = ternary (list 4543) (list 443) (eq .Values.bcss.channel "extranet") -}}
{{- end -}}
{{- if $np.bcssCidrs }}
# BCSS REST gateway ({{ .Values.bcss.channel }} channel): only bcssProxy.networkPolicy.bcssCidrs
{{ include "socsec.egressRule" (dict "cidrs" $np.bcssCidrs "ports" $ports) | trim }}
{{- else }}
# BCSS REST gateway: no egress, bcssProxy.networkPolicy.bcssCidrs is empty
{{- end }}
{{- if .Values.tokenBroker.enabled }}
{{- $broker := dict "root" . "svc" .Values.tokenBroker "component" "token-broker" }}
# the chart's token-broker
- to:
    - {{ include "socsec.podPeer" $broker | nindent 6 | trim }}
  ports:
    - protocol: TCP
      port: {{ .Values.tokenBroker.ports.http }}
{{- end }}
{{- end -}}
