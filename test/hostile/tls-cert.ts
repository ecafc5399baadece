// A self-signed certificate for 127.0.0.1 and localhost (P-256, valid until 2125), for tests that
// need an https server on loopback. Generated once with:
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
//     -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost
export const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUB94rTRh+eQX4tPjMZa/R+I+abyMwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMTA3NDQyNloYDzIxMjYxMTA3
MDc0NDI2WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQsoTRDKAwVyV53eTKFFCGLDqzqpdq/j56s/viUZUov0NZzxf8tV8Jz
4BEL+GEwx4k/gYrutxnLY97eE4kBeVLRo28wbTAdBgNVHQ4EFgQUs+r5cKSpDleY
qk8U9n26Nu1HfrswHwYDVR0jBBgwFoAUs+r5cKSpDleYqk8U9n26Nu1HfrswDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIgXflrLLgi1AU6lUHoqe7wQjDjktSebMyF3H79UBjRr/8CIQDL
5HK+LhZqDmZLLb/XcVixX1EbilOcSC06+g5TE+F5+w==
-----END CERTIFICATE-----
`;

export const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgJmqjMX6N1bfY9L4d
rsfwptCU/qth+HRCWUiN5BHylnWhRANCAAQsoTRDKAwVyV53eTKFFCGLDqzqpdq/
j56s/viUZUov0NZzxf8tV8Jz4BEL+GEwx4k/gYrutxnLY97eE4kBeVLR
-----END PRIVATE KEY-----
`;
