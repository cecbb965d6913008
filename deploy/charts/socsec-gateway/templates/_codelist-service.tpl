{{/*
codelist-service: what only the code-list service has. Input of every template here: the chart's root context.
Its DFDG headers, FOCES certificate and trust store are the shared parts of _dfdg.tpl; its database Secret and
egress the shared ones of _helpers.tpl.
*/}}

{{- define "codelistService.properties" -}}
{{- $c := .Values.codelistService -}}
{{- $dfdg := dict "root" . "v" $c "key" "codelistService" -}}
{{- if not (regexMatch "^https://[^/?#]+/" (toString $c.dfdg.codeListServiceUrl)) -}}
{{- fail (printf "codelistService.dfdg.codeListServiceUrl must be DFDG's CodeListService https:// URL (e.g. https://service.bm.dk/PjakTassWCFtService/1/CodeListService.svc), not %q" (toString $c.dfdg.codeListServiceUrl)) -}}
{{- end -}}
{{- include "dfdg.validate" $dfdg -}}
{{- $_ := required "codelistService.database.existingSecret is required: an existing Secret with the PostgreSQL connection (keys url = jdbc:postgresql://<host>:5432/<db>, username, password); the chart never creates it, see deploy/README.md" $c.database.existingSecret -}}
{{- if not $c.lists -}}
{{- fail "codelistService.lists must name at least one code list (name: Get<Xxx>CodeList operation)" -}}
{{- end -}}
{{- if not (regexMatch "^([01][0-9]|2[0-3]):[0-5][0-9]$" (toString $c.schedule.timeOfDay)) -}}
{{- fail (printf "codelistService.schedule.timeOfDay must be a Danish local time HH:MM (quoted), not %q" (toString $c.schedule.timeOfDay)) -}}
{{- end -}}
{{- if not $c.access.readers -}}
{{- fail "codelistService.access.readers must name at least one subject, or \"*\" for every caller" -}}
{{- end -}}
{{- if has "*" ($c.access.operators | default list) -}}
{{- fail "codelistService.access.operators must name subjects: \"*\" would let every caller force fetches from DFDG" -}}
{{- end -}}
# codelist-service: DFDG's code lists ({{ .Values.dfdg.environment }}), fetched once a day, served from memory

# DFDG's CodeListService, and the operation that answers each list (/v1/codelists/<name>)
codelist.dfdg.code-list-service-url={{ include "socsec.propValue" $c.dfdg.codeListServiceUrl }}
{{- range $name, $operation := $c.lists }}
{{- if not (regexMatch "^[a-z0-9][a-z0-9-]{0,62}$" $name) }}
{{- fail (printf "codelistService.lists: %q is not a list name (lower case, digits and dashes, as in /v1/codelists/<name>)" $name) }}
{{- end }}
{{- if not (regexMatch "^[A-Za-z_][A-Za-z0-9_.-]*$" (toString $operation)) }}
{{- fail (printf "codelistService.lists.%s must be the CodeListService operation (e.g. GetMunicipalityIdentifierCodeList), not %q" $name (toString $operation)) }}
{{- end }}
codelist.lists.{{ $name }}.operation={{ $operation }}
{{- end }}

# Schedule: one fetch of a list a day (DFDG's rule), at time-of-day (Europe/Copenhagen) plus up to the jitter
codelist.schedule.enabled={{ $c.schedule.enabled }}
codelist.schedule.time-of-day={{ $c.schedule.timeOfDay }}
codelist.schedule.jitter={{ $c.schedule.jitter }}
codelist.schedule.retry-after-failure={{ $c.schedule.retryAfterFailure }}
codelist.schedule.check-every={{ $c.schedule.checkEvery }}
codelist.schedule.claim-timeout={{ $c.schedule.claimTimeout }}
codelist.schedule.forced-min-interval={{ $c.schedule.forcedMinInterval }}

# Callers (subjects of their ServiceAccount tokens): who may read, who may force a fetch
codelist.access.readers={{ $c.access.readers | uniq | sortAlpha | join "," }}
{{- with $c.access.operators }}
codelist.access.operators={{ . | uniq | sortAlpha | join "," }}
{{- else }}
# no operators: every refresh is refused until codelistService.access.operators names them
{{- end }}

{{ include "dfdg.callerProperties" $dfdg }}

{{ include "dfdg.tlsProperties" $dfdg }}

# PostgreSQL: JDBC URL, user and password only in env QUARKUS_DATASOURCE_* from Secret {{ $c.database.existingSecret }}.
{{ include "socsec.databasePool" (dict "svc" $c "key" "codelistService") }}
{{- end -}}

{{/* Who may read the lists: namespaces and pods labelled socsec-gateway/wsb-client or socsec-gateway/codelist-client
= <release id>, and the configured peers. */}}
{{- define "codelistService.ingressFrom" -}}
{{- $labelled := (include "socsec.callerPeers" (dict "root" . "labels" (list "socsec-gateway/wsb-client" "socsec-gateway/codelist-client")) | fromYaml).peers -}}
{{- toYaml (dict "peers" (concat $labelled (.Values.codelistService.networkPolicy.ingressFrom | default list))) -}}
{{- end -}}

{{- define "codelistService.env" -}}
{{ include "dfdg.env" (dict "root" . "v" .Values.codelistService "key" "codelistService") | trim }}
{{ include "socsec.databaseEnv" .Values.codelistService.database }}
{{- end -}}

{{/* Egress besides DNS and the API server (JWKS): PostgreSQL, and DFDG's CodeListService host on 443 (only the
configured CIDRs; none = no egress to DFDG). */}}
{{- define "codelistService.egress" -}}
{{- $np := .Values.codelistService.networkPolicy -}}
{{ include "socsec.databaseEgress" (dict "np" $np "key" "codelistService" "enabled" .Values.networkPolicy.enabled) | trim }}
{{ include "dfdg.egress" (dict "cidrs" $np.dfdgCidrs "ports" $np.dfdgPorts "key" "codelistService") | trim }}
{{- end -}}
