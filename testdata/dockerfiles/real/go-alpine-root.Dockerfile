FROM golang:1.23-alpine@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f AS builder
RUN apk add --no-cache git
WORKDIR /app
COPY . .
RUN go build -o main .

# expect: DF001 DF011
FROM alpine:3.20@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
WORKDIR /root/
COPY --from=builder /app/main .
EXPOSE 8080
CMD ["./main"]
