# hullscan global ignore=DF011
# expect: DF001
FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# hadolint ignore=DL3059
RUN apk add --no-cache curl
# hullscan ignore=DF014,DF007
RUN curl -fsSL https://x | sh
# expect: DF014
# hadolint ignore=DL3004
RUN sudo true
