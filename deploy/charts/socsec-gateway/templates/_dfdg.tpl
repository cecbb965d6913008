{{/*
What every service that calls DFDG has (dfdg-poller, codelist-service): the two DFDG headers (dfdg-soap's
dfdg.caller.*), mutual TLS with the organisation's FOCES certificate (Quarkus TLS configuration "dfdg") and DFDG's
trust store, mounted read-only as whole directories. Input of every template here: a dict
  root  the chart's root context
  v     the service's values block (with caller, clientCertificate, serverTrust)
  key   the block's name in values.yaml, for error messages (e.g. dfdgPoller)
*/}}

{{- define "dfdg.clientCertDir" -}}/etc/socsec-gateway/dfdg-client{{- end -}}
{{- define "dfdg.trustDir" -}}/etc/socsec-gateway/dfdg-trust{{- end -}}

{{/* Fails the render when the FOCES Secret, the trust store or the certificate's identity is missing or malformed. */}}
{{- define "dfdg.validate" -}}
{{- $cert := .v.clientCertificate -}}
{{- $trust := .v.serverTrust -}}
{{- $_ := required (printf "%s.clientCertificate.existingSecret is required: an existing Secret with the organisation's FOCES certificate (PKCS#12 with a password key, or PEM certificate and key); the chart never creates it, see deploy/README.md" .key) $cert.existingSecret -}}
{{- $_ := required (printf "%s.serverTrust.name is required: an existing Secret or ConfigMap with the PEM CA chain of DFDG's server certificate" .key) $trust.name -}}
{{- if not $trust.keys -}}
{{- fail (printf "%s.serverTrust.keys must name at least one PEM file of the trust store" .key) -}}
{{- end -}}
{{- if not (has $trust.kind (list "Secret" "ConfigMap")) -}}
{{- fail (printf "%s.serverTrust.kind must be Secret or ConfigMap, not %q" .key $trust.kind) -}}
{{- end -}}
{{- if not (has $cert.format (list "pkcs12" "pem")) -}}
{{- fail (printf "%s.clientCertificate.format must be pkcs12 or pem, not %q" .key $cert.format) -}}
{{- end -}}
{{- if not (regexMatch "^CVR:[0-9]{8}-UUID:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" (toString .v.caller.userIdentifier)) -}}
{{- fail (printf "%s.caller.userIdentifier must be the FOCES certificate's identity CVR:<8 digits>-UUID:<uuid>, not %q" .key (toString .v.caller.userIdentifier)) -}}
{{- end -}}
{{- end -}}

{{/* dfdg.caller.*: the two headers on every DFDG call. */}}
{{- define "dfdg.callerProperties" -}}
{{- $c := .v.caller -}}
# The two headers on every DFDG call
dfdg.caller.organisation-type={{ $c.organisationType }}
dfdg.caller.organisation-code={{ include "socsec.propValue" $c.organisationCode }}
{{- $requestOrganisationCode := $c.requestOrganisationCode | default "" }}
{{- if kindIs "float64" $requestOrganisationCode }}
{{- $requestOrganisationCode = int64 $requestOrganisationCode }}
{{- end }}
{{- with (toString $requestOrganisationCode) }}
dfdg.caller.request-organisation-code={{ include "socsec.propValue" . }}
{{- end }}
dfdg.caller.user-full-name={{ include "socsec.propValue" $c.userFullName }}
dfdg.caller.user-type={{ $c.userType }}
dfdg.caller.user-identifier={{ $c.userIdentifier }}
{{- with $c.userEmail }}
dfdg.caller.user-email={{ include "socsec.propValue" . }}
{{- end }}
dfdg.caller.registration-time-with-offset={{ $c.registrationTimeWithOffset }}
{{- end -}}

{{/* quarkus.tls.dfdg.*: the FOCES key store and DFDG's trust store, from the mounted directories. */}}
{{- define "dfdg.tlsProperties" -}}
{{- $cert := .v.clientCertificate -}}
{{- $trust := .v.serverTrust -}}
# Mutual TLS with DFDG (TLS configuration "dfdg"): FOCES certificate from Secret {{ $cert.existingSecret }},
# DFDG's CA from {{ $trust.kind }} {{ $trust.name }}; files re-read when Kubernetes swaps the mounted Secrets.
{{- if eq $cert.format "pkcs12" }}
quarkus.tls.dfdg.key-store.p12.path={{ include "dfdg.clientCertDir" . }}/{{ $cert.pkcs12.file }}
# The password itself is only in env DFDG_FOCES_P12_PASSWORD (Secret key {{ $cert.pkcs12.passwordKey }}).
quarkus.tls.dfdg.key-store.p12.password=${DFDG_FOCES_P12_PASSWORD}
{{- with $cert.pkcs12.alias }}
quarkus.tls.dfdg.key-store.p12.alias={{ include "socsec.propValue" . }}
{{- end }}
{{- else }}
quarkus.tls.dfdg.key-store.pem.0.cert={{ include "dfdg.clientCertDir" . }}/{{ $cert.pem.cert }}
quarkus.tls.dfdg.key-store.pem.0.key={{ include "dfdg.clientCertDir" . }}/{{ $cert.pem.key }}
{{- end }}
{{- $trustFiles := list -}}
{{- range $trust.keys -}}
{{- $trustFiles = append $trustFiles (printf "%s/%s" (include "dfdg.trustDir" $) .) -}}
{{- end }}
quarkus.tls.dfdg.trust-store.pem.certs={{ $trustFiles | join "," }}
quarkus.tls.dfdg.reload-period={{ $cert.reloadPeriod }}
{{- end -}}

{{- define "dfdg.volumes" -}}
{{- $cert := .v.clientCertificate -}}
{{- $trust := .v.serverTrust -}}
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
{{- end -}}

{{/* Whole directories (no subPath), so that renewed certificates reach the pod. */}}
{{- define "dfdg.volumeMounts" -}}
- name: dfdg-client
  mountPath: {{ include "dfdg.clientCertDir" . }}
  readOnly: true
- name: dfdg-trust
  mountPath: {{ include "dfdg.trustDir" . }}
  readOnly: true
{{- end -}}

{{/* The PKCS#12 password, only from the Secret. */}}
{{- define "dfdg.env" -}}
{{- $cert := .v.clientCertificate -}}
{{- if eq $cert.format "pkcs12" }}
- name: DFDG_FOCES_P12_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $cert.pkcs12.passwordSecret | default $cert.existingSecret }}
      key: {{ $cert.pkcs12.passwordKey }}
{{- end }}
{{- end -}}

{{/* Egress to DFDG: only the configured CIDRs; none = no egress to DFDG (it does not publish its addresses). Input:
dict cidrs, ports, key (the values key, for the comment). */}}
{{- define "dfdg.egress" -}}
{{- if .cidrs }}
# DFDG: only {{ .key }}.networkPolicy.dfdgCidrs
{{ include "socsec.egressRule" (dict "cidrs" .cidrs "ports" .ports) | trim }}
{{- else }}
# DFDG: no egress, {{ .key }}.networkPolicy.dfdgCidrs is empty (DFDG does not publish its addresses; set them)
{{- end }}
{{- end -}}
