{{/*
token-broker: what only the broker has. Input of every template here: the chart's root context.
*/}}

{{- define "tokenBroker.signingKeyDir" -}}/etc/socsec-gateway/signing-key{{- end -}}
{{- define "tokenBroker.oauthClientDir" -}}/etc/socsec-gateway/oauth-client{{- end -}}
{{- define "tokenBroker.oauthTrustDir" -}}/etc/socsec-gateway/oauth-trust{{- end -}}

{{/* broker.client.scopes: the configured ones, or every scope of the proxy's APIs. */}}
{{- define "tokenBroker.clientScopes" -}}
{{- if .Values.tokenBroker.clientScopes -}}
{{ .Values.tokenBroker.clientScopes | uniq | sortAlpha | join "," }}
{{- else -}}
{{ include "bcssProxy.scopes" . }}
{{- end -}}
{{- end -}}

{{/* broker.callers: the chart's bcss-proxy (optional) followed by the configured callers. */}}
{{- define "tokenBroker.callers" -}}
{{- $callers := list -}}
{{- if and .Values.tokenBroker.includeBcssProxy .Values.bcssProxy.enabled -}}
{{- $proxy := dict "root" . "svc" .Values.bcssProxy "component" "bcss-proxy" -}}
{{- $subject := printf "system:serviceaccount:%s:%s" .Release.Namespace (include "socsec.serviceAccountName" $proxy) -}}
{{- $callers = append $callers (dict "subject" $subject "scopes" (splitList "," (include "bcssProxy.scopes" .)) "defaultScopes" false) -}}
{{- end -}}
{{- $callers = concat $callers (.Values.tokenBroker.callers | default list) -}}
{{- range $i, $caller := $callers }}
{{- if not $caller.subject }}
{{- fail (printf "tokenBroker.callers[%d].subject is required" $i) }}
{{- end }}
broker.callers[{{ $i }}].subject={{ include "socsec.propValue" $caller.subject }}
{{- with $caller.scopes }}
broker.callers[{{ $i }}].scopes={{ . | uniq | sortAlpha | join "," }}
{{- end }}
broker.callers[{{ $i }}].default-scopes={{ $caller.defaultScopes | default false }}
{{- end }}
{{- end -}}

{{- define "tokenBroker.properties" -}}
{{- $b := .Values.tokenBroker -}}
{{- $key := $b.signingKey -}}
{{- if not $b.clientId -}}
{{- fail "tokenBroker.clientId is required (the OAuth client-id registered at Smals)" -}}
{{- end -}}
{{- if not $key.existingSecret -}}
{{- fail "tokenBroker.signingKey.existingSecret is required (Secret with the JWT-signing key and certificate)" -}}
{{- end -}}
{{- if not (include "tokenBroker.clientScopes" .) -}}
{{- fail "tokenBroker.clientScopes is required when bcssProxy has no APIs to take them from" -}}
{{- end -}}
# token-broker: BCSS OAuth client
broker.environment={{ .Values.bcss.environment }}
broker.channel={{ .Values.bcss.channel }}
broker.client.id={{ include "socsec.propValue" $b.clientId }}
broker.client.scopes={{ include "tokenBroker.clientScopes" . }}
{{- with $b.endpoints.token }}
broker.endpoints.token={{ include "socsec.propValue" . }}
{{- end }}
{{- with $b.endpoints.metadata }}
broker.endpoints.metadata={{ include "socsec.propValue" . }}
{{- end }}
broker.endpoints.discovery={{ $b.endpoints.discovery }}
{{- with $b.assertion.audience }}
broker.assertion.audience={{ include "socsec.propValue" . }}
{{- end }}
{{- with $b.assertion.keyId }}
broker.assertion.key-id={{ include "socsec.propValue" . }}
{{- end }}
broker.assertion.include-x5t-s256={{ $b.assertion.includeX5tS256 }}

# JWT-signing key: Secret {{ $key.existingSecret }}, mounted read-only; re-read when Kubernetes swaps it.
{{- if eq $key.format "pkcs12" }}
broker.key.p12-path={{ include "tokenBroker.signingKeyDir" . }}/{{ $key.pkcs12.file }}
{{- with $key.pkcs12.alias }}
broker.key.p12-alias={{ include "socsec.propValue" . }}
{{- end }}
# The password itself is only in env BROKER_KEY_P12_PASSWORD (Secret key {{ $key.pkcs12.passwordKey }}).
broker.key.p12-password=${BROKER_KEY_P12_PASSWORD}
{{- else if eq $key.format "pem" }}
broker.key.pem-key={{ include "tokenBroker.signingKeyDir" . }}/{{ $key.pem.key }}
broker.key.pem-cert={{ include "tokenBroker.signingKeyDir" . }}/{{ $key.pem.cert }}
{{- else }}
{{- fail (printf "tokenBroker.signingKey.format must be pem or pkcs12, not %q" $key.format) }}
{{- end }}
broker.key.reload-interval={{ $key.reloadInterval }}

# TLS towards Smals (Quarkus TLS configuration bcss-oauth); without a trust store the JVM's is used.
broker.upstream.tls-configuration-name=bcss-oauth
{{- with $b.upstreamTls.trustConfigMap }}
{{- if .name }}
quarkus.tls.bcss-oauth.trust-store.pem.certs={{ include "tokenBroker.oauthTrustDir" $ }}/{{ .key }}
{{- end }}
{{- end }}
{{- with $b.upstreamTls.clientCertificate }}
{{- if .existingSecret }}
quarkus.tls.bcss-oauth.key-store.pem.0.cert={{ include "tokenBroker.oauthClientDir" $ }}/{{ .cert }}
quarkus.tls.bcss-oauth.key-store.pem.0.key={{ include "tokenBroker.oauthClientDir" $ }}/{{ .key }}
{{- end }}
{{- end }}

# Callers (subject = system:serviceaccount:<namespace>:<ServiceAccount>)
{{- include "tokenBroker.callers" . }}
{{- end -}}

{{- define "tokenBroker.volumes" -}}
{{- $b := .Values.tokenBroker -}}
{{- $key := $b.signingKey -}}
- name: signing-key
  secret:
    secretName: {{ $key.existingSecret }}
    defaultMode: 0440
    items:
      {{- if eq $key.format "pkcs12" }}
      - key: {{ $key.pkcs12.file }}
        path: {{ $key.pkcs12.file }}
      {{- else }}
      - key: {{ $key.pem.key }}
        path: {{ $key.pem.key }}
      - key: {{ $key.pem.cert }}
        path: {{ $key.pem.cert }}
      {{- end }}
{{- with $b.upstreamTls.trustConfigMap }}
{{- if .name }}
- name: oauth-trust
  configMap:
    name: {{ .name }}
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- end }}
{{- end }}
{{- with $b.upstreamTls.clientCertificate }}
{{- if .existingSecret }}
- name: oauth-client
  secret:
    secretName: {{ .existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ .key }}
        path: {{ .key }}
      - key: {{ .cert }}
        path: {{ .cert }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "tokenBroker.volumeMounts" -}}
{{- $b := .Values.tokenBroker -}}
- name: signing-key
  mountPath: {{ include "tokenBroker.signingKeyDir" . }}
  readOnly: true
{{- if $b.upstreamTls.trustConfigMap.name }}
- name: oauth-trust
  mountPath: {{ include "tokenBroker.oauthTrustDir" . }}
  readOnly: true
{{- end }}
{{- if $b.upstreamTls.clientCertificate.existingSecret }}
- name: oauth-client
  mountPath: {{ include "tokenBroker.oauthClientDir" . }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "tokenBroker.env" -}}
{{- $key := .Values.tokenBroker.signingKey -}}
{{- if eq $key.format "pkcs12" }}
- name: BROKER_KEY_P12_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $key.pkcs12.passwordSecret | default $key.existingSecret }}
      key: {{ $key.pkcs12.passwordKey }}
{{- end }}
{{- end -}}

{{/* Who may reach the broker's API: the chart's bcss-proxy and the configured peers. */}}
{{- define "tokenBroker.ingressFrom" -}}
{{- $peers := list -}}
{{- if .Values.bcssProxy.enabled -}}
{{- $proxy := dict "root" . "svc" .Values.bcssProxy "component" "bcss-proxy" -}}
{{- $peers = append $peers (include "socsec.podPeer" $proxy | fromYaml) -}}
{{- end -}}
{{- $peers = concat $peers (.Values.tokenBroker.networkPolicy.ingressFrom | default list) -}}
{{- toYaml (dict "peers" $peers) -}}
{{- end -}}

{{/* Smals OAuth v5 (token endpoint, metadata): only egressCidrs. The hosts are names under socialsecurity.be whose
addresses Smals does not publish as fixed: a NetworkPolicy cannot name them (an FQDN-capable policy or an egress proxy
can, deploy/README.md). No CIDRs = no egress to Smals (NOTES.txt warns). */}}
{{- define "tokenBroker.egress" -}}
{{- with .Values.tokenBroker.networkPolicy -}}
{{- if .egressCidrs }}
# Smals OAuth v5 (token endpoint, metadata): only tokenBroker.networkPolicy.egressCidrs
{{ include "socsec.egressRule" (dict "cidrs" .egressCidrs "ports" .egressPorts) | trim }}
{{- else }}
# Smals OAuth v5: no egress, tokenBroker.networkPolicy.egressCidrs is empty (deploy/README.md: FQDN policy or proxy)
{{- end }}
{{- end -}}
{{- end -}}
