-- Certificate revocation lists for a custom domain's mutual TLS (issue 17): PEM X509 CRL blocks
-- the owner uploads with the truststore, each signed by one of its CAs (checked by the control
-- plane and again by every gateway, with contracts' DomainRules). The gateway fetches none itself.
ALTER TABLE domains
  ADD COLUMN crl_pem text CHECK (length(crl_pem) <= 262144),
  -- A CRL is judged by the truststore CA that signed it: none without a truststore.
  ADD CONSTRAINT domains_crl_needs_truststore CHECK (crl_pem IS NULL OR truststore_pem IS NOT NULL);
