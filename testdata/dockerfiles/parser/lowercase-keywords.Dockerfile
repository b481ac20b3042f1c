from alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f as build
run apk add --no-cache gcc musl-dev && gcc -o /hello hello.c
from scratch
copy --from=build /hello /hello
healthcheck none
user 65532
