/**
 * SANDBOX ONLY — a throwaway RSA key pair published with the code so the embedded DVDV sandbox and the
 * gateway can run the real standalone-authentication token flow (RS256 client assertion) with no setup.
 * It identifies nothing real; a configured DVDV operator never accepts it.
 */
export const SANDBOX_CLIENT_PRIVATE_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQCd4/OXezQxaclO
QWK6BWdmNUa0AWfry3xMcR5DWDHl7e2dUarUGp156qTKTdrY8YKSDSViOEJlFX2S
2nMtK+fdKbZtNDmml9DULgW3KLW00xDcvdr7eGmiMILzHxWYivqKUthIjjaSDHEN
VOCKeslf1/h5UfPma0ETAD0sQxxQUayrFFAy4QV0/ay476TBfX8zaYUMk0FGpwsD
jwr2uFJfGBe1DBErO4Y9M9zzCRNe1TIRebQzGAY15G2PnC/F73r3ggE6fe6piQ/+
lVxEsrBKMMLHT0ymGFpx/ZfYsy+gpLP6Dk0uKpm+bAL6Rh9toLbiwfHQKHARoi3Y
++dDs/DBAgMBAAECggEABqqdtl+nHkfhKrSyt1RvhosFw+BdGSTyx+6Xp6INOUyI
shH+AdTaS/qdLin5l/9afcO8xpDibo6hvAfUT8hkkrg0mPtY2umhn5rx2fHra+1W
YO1mx857EftftrtNtFlbpy8L2Bm+azirQqW6yqxCwNhVllDgZwBswaGDnl9BseX3
AtMhXvJiKBh+IiFmufLsntYWQ3ZzSzP1qSMBBLP41+qc4VSmIdGsCGhxiUsgzRNl
ggnvnlLXLeDDTs87RKWiS3Z75IfJQ0Y0Fe7WeFKY1uR8R2iQpnDCQO2GmwWaEVQd
NWP0n6n4cAPsCNjaJb9RDRFKZ1WE7pDwLkOGUmjSIQKBgQDYaAIFO3RQtL1E6dmn
8ivGk4C35dxXrsHmMP2uYyx7Uy6adqsnwHl/ItV7dPguh2gKjQz1zWtBatW08SrJ
Itn4ntdXXTH/Y5xdMtP7WTD5Ysx8Mg7U0lDE6WPpRPMR/JJhhNacbz1qbEFPPIAI
NfK+NQE4gygauH89qrgEZ+f5xwKBgQC6xzDTSSYLsQohFxXTdthkK4q+x/Q2AHxg
tkyo6xOsf/S5E09c74Etj7dYNB2cdIUCqo0n4bSlzlovp1YSJqj5PXTw4k01OCiL
BbU2Jxx0+jl3Zlco5AOiXu1b4SgAi9DVUf7C6fvQPLYLySnlBM39dDfEl26LvUAA
SmA+lACBNwKBgQDUmjHJ9CQMmdQMHPYhYfCR0R23DVLQrbZ+sIi5R2NO8WSqiYUS
s6xpM86p0Dt2cr7LBtHBtoL1rMCxV/Eh02RzNZH3mW5iKflXMnVBzNkpWF/ub7tU
aB7DpUrrxDpM5Gbm+XtiCoM6x4nOD3D1IBMPvMErROckgTc4XT0VzwL+xwKBgQCb
gtmuMYtR1LfgUT5E8QC+dlpw+j7k74afZ2lwgznAOFFj/yXm9SsS6kP3Vn0JFSLh
02rvt8cW/jas0qChQDsUOg0xutoZ44YuKjR0wB+7bdOHDFipnR9Bg9QQ2ejae48G
7dw2IWcePE4+heEx48w2qRr9vi+2fX3aQBLeR5AcBQKBgQCfOJyTsHfKO6LWz8sJ
hyTR1kOEAJ2gyHG4fC5kv5nmcmQtU+8caJdrjtX1el38vZCDmA/2Bfy2jJ9dmRYg
bxV0RFjyercHKfPUnLqy2ms5gUCdP8XbMp9U7qURRl/8xV76tw8KvStGEizT2tFF
UJpXkeK7SQpqBf6gU7GwlDC0hQ==
-----END PRIVATE KEY-----
`;

export const SANDBOX_CLIENT_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnePzl3s0MWnJTkFiugVn
ZjVGtAFn68t8THEeQ1gx5e3tnVGq1Bqdeeqkyk3a2PGCkg0lYjhCZRV9ktpzLSvn
3Sm2bTQ5ppfQ1C4Ftyi1tNMQ3L3a+3hpojCC8x8VmIr6ilLYSI42kgxxDVTginrJ
X9f4eVHz5mtBEwA9LEMcUFGsqxRQMuEFdP2suO+kwX1/M2mFDJNBRqcLA48K9rhS
XxgXtQwRKzuGPTPc8wkTXtUyEXm0MxgGNeRtj5wvxe9694IBOn3uqYkP/pVcRLKw
SjDCx09Mphhacf2X2LMvoKSz+g5NLiqZvmwC+kYfbaC24sHx0ChwEaIt2PvnQ7Pw
wQIDAQAB
-----END PUBLIC KEY-----
`;

/** The fingerprint the sandbox registers for this key (sandbox range: starts with 5a4db0c5, like the world's serials). */
export const SANDBOX_CLIENT_FINGERPRINT = '5a4db0c5' + '0'.repeat(31) + '1';
