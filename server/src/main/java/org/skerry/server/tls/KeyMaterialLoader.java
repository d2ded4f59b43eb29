package org.skerry.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads a certificate chain and its private key from PEM or PKCS#12 files, and checks that they belong
 * together. Every failure is a {@link TlsConfigException} naming the file and the reason, because the admin
 * is the only one who can fix it.
 */
final class KeyMaterialLoader {
    private KeyMaterialLoader() {}

    // Encrypted PEM keys are decrypted with BouncyCastle's JCE: the JDK does not know all of the PBES2 and
    // OpenSSL legacy cipher names that bcpkix asks for.

    /** Loads the configured files. {@code keyFile} may be null when {@code certificateFile} holds the key. */
    static KeyMaterial load(Path certificateFile, Path keyFile, String password) throws TlsConfigException {
        byte[] certificateBytes = read(certificateFile);
        if (isPkcs12(certificateFile, certificateBytes)) {
            return loadPkcs12(certificateFile, certificateBytes, password);
        }
        PemContents pem = parsePem(certificateFile, certificateBytes, password);
        if (pem.certificates.isEmpty()) {
            throw new TlsConfigException(certificateFile,
                    "no certificate found (expected a PEM block \"-----BEGIN CERTIFICATE-----\" or a PKCS#12 file)");
        }
        PrivateKey key;
        Path keySource;
        if (keyFile != null) {
            PemContents keyPem = parsePem(keyFile, read(keyFile), password);
            if (keyPem.privateKeys.isEmpty()) {
                throw new TlsConfigException(keyFile, "no private key found (expected a PEM block such as "
                        + "\"-----BEGIN PRIVATE KEY-----\", \"-----BEGIN RSA PRIVATE KEY-----\" or "
                        + "\"-----BEGIN EC PRIVATE KEY-----\")");
            }
            key = onlyKey(keyFile, keyPem.privateKeys);
            keySource = keyFile;
        } else if (!pem.privateKeys.isEmpty()) {
            key = onlyKey(certificateFile, pem.privateKeys);
            keySource = certificateFile;
        } else {
            throw new TlsConfigException(certificateFile,
                    "no private key in this file and no tls.private_key configured");
        }
        return new KeyMaterial(key, orderChain(keySource, key, pem.certificates));
    }

    /** PKCS#12 by file extension, else by content: PEM is text with "-----BEGIN", PKCS#12 is DER. */
    private static boolean isPkcs12(Path file, byte[] bytes) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return true;
        }
        if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer") || name.endsWith(".key")) {
            return false;
        }
        return !new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN") && bytes.length > 0
                && bytes[0] == 0x30;
    }

    private static byte[] read(Path file) throws TlsConfigException {
        try {
            if (Files.isDirectory(file)) {
                throw new TlsConfigException(file, "is a directory, expected a certificate or key file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(file, "file not found");
        } catch (AccessDeniedException e) {
            throw new TlsConfigException(file, "permission denied (the node's user must be able to read it)");
        } catch (IOException e) {
            throw new TlsConfigException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- PEM

    record PemContents(List<X509Certificate> certificates, List<PrivateKey> privateKeys) {}

    static PemContents parsePem(Path file, byte[] bytes, String password) throws TlsConfigException {
        List<X509Certificate> certificates = new ArrayList<>();
        List<PrivateKey> keys = new ArrayList<>();
        JcaPEMKeyConverter keyConverter = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certificateConverter = new JcaX509CertificateConverter();
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN ")) {
            throw new TlsConfigException(file, "not a PEM file (no \"-----BEGIN\" line) and not PKCS#12");
        }
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(certificateConverter.getCertificate(holder));
                } else if (object instanceof PrivateKeyInfo info) {
                    keys.add(keyConverter.getPrivateKey(info));
                } else if (object instanceof PEMKeyPair pair) {
                    // Only the private half: an "EC PRIVATE KEY" may omit its optional public key.
                    keys.add(keyConverter.getPrivateKey(pair.getPrivateKeyInfo()));
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    keys.add(keyConverter.getPrivateKey(decrypt(file, encrypted, password)));
                } else if (object instanceof PEMEncryptedKeyPair encrypted) {
                    keys.add(keyConverter.getPrivateKey(decrypt(file, encrypted, password).getPrivateKeyInfo()));
                }
                // Anything else (EC PARAMETERS written by "openssl ecparam -genkey", CRLs, public keys) is
                // irrelevant here and skipped.
            }
        } catch (TlsConfigException e) {
            throw e;
        } catch (CertificateException e) {
            throw new TlsConfigException(file, "invalid certificate: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigException(file, "malformed PEM: " + e.getMessage(), e);
        }
        return new PemContents(certificates, keys);
    }

    private static PrivateKeyInfo decrypt(Path file, PKCS8EncryptedPrivateKeyInfo encrypted, String password)
            throws TlsConfigException {
        requirePassword(file, password);
        try {
            return encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BouncyCastle.jce())
                            .build(password.toCharArray()));
        } catch (PKCSException | OperatorCreationException e) {
            throw new TlsConfigException(file, "cannot decrypt the private key: wrong tls.password?", e);
        }
    }

    private static PEMKeyPair decrypt(Path file, PEMEncryptedKeyPair encrypted, String password)
            throws TlsConfigException {
        requirePassword(file, password);
        try {
            return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BouncyCastle.jce())
                    .build(password.toCharArray()));
        } catch (IOException e) {
            throw new TlsConfigException(file, "cannot decrypt the private key: wrong tls.password?", e);
        }
    }

    private static void requirePassword(Path file, String password) throws TlsConfigException {
        if (password.isEmpty()) {
            throw new TlsConfigException(file, "the private key is encrypted; set tls.password");
        }
    }

    private static PrivateKey onlyKey(Path file, List<PrivateKey> keys) throws TlsConfigException {
        if (keys.size() > 1) {
            throw new TlsConfigException(file, "holds " + keys.size() + " private keys; expected exactly one");
        }
        return keys.get(0);
    }

    /**
     * Puts the certificate that matches the key first, then its issuers in order; other certificates follow.
     * Admins concatenate chains in every order, and a client only accepts leaf-first.
     */
    static List<X509Certificate> orderChain(Path keyFile, PrivateKey key, List<X509Certificate> certificates)
            throws TlsConfigException {
        X509Certificate leaf = null;
        for (X509Certificate candidate : certificates) {
            if (keyMatches(key, candidate.getPublicKey())) {
                leaf = candidate;
                break;
            }
        }
        if (leaf == null) {
            throw new TlsConfigException(keyFile, "the private key does not match "
                    + (certificates.size() == 1 ? "the certificate " : "any of the certificates ")
                    + certificates.get(0).getSubjectX500Principal().getName());
        }
        List<X509Certificate> remaining = new ArrayList<>(certificates);
        remaining.remove(leaf);
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        X509Certificate current = leaf;
        while (!current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
            X509Certificate issuer = null;
            for (X509Certificate candidate : remaining) {
                if (candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    issuer = candidate;
                    break;
                }
            }
            if (issuer == null) {
                break;
            }
            remaining.remove(issuer);
            chain.add(issuer);
            current = issuer;
        }
        chain.addAll(remaining);
        return chain;
    }

    // ---------------------------------------------------------------- PKCS#12

    private static KeyMaterial loadPkcs12(Path file, byte[] bytes, String password) throws TlsConfigException {
        KeyStore store = openPkcs12(file, bytes, password);
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, password.toCharArray());
                if (!(key instanceof PrivateKey privateKey)) {
                    continue;
                }
                Certificate[] stored = store.getCertificateChain(alias);
                if (stored == null || stored.length == 0) {
                    throw new TlsConfigException(file, "entry \"" + alias + "\" has a key but no certificate");
                }
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate certificate : stored) {
                    chain.add((X509Certificate) certificate);
                }
                if (!keyMatches(privateKey, chain.get(0).getPublicKey())) {
                    throw new TlsConfigException(file, "entry \"" + alias
                            + "\": the private key does not match its certificate");
                }
                return new KeyMaterial(privateKey, chain);
            }
        } catch (UnrecoverableKeyException e) {
            throw new TlsConfigException(file, "wrong password for the private key", e);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(file, "cannot read the key entry: " + e.getMessage(), e);
        }
        throw new TlsConfigException(file, "no private key entry in this PKCS#12 file");
    }

    private static KeyStore openPkcs12(Path file, byte[] bytes, String password) throws TlsConfigException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password.toCharArray());
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password")) {
                throw new TlsConfigException(file, "wrong password (tls.password), or the file is damaged", e);
            }
            throw new TlsConfigException(file, "not a valid PKCS#12 file: " + e.getMessage(), e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsConfigException(file, "not a valid PKCS#12 file: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- key ↔ certificate

    /**
     * True when the private key is the one for this public key. RSA compares the modulus; other algorithms
     * prove it by signing a random challenge, which works for EC, EdDSA and DSA without algorithm-specific math.
     */
    static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) {
        if (privateKey instanceof RSAKey || publicKey instanceof RSAKey) {
            if (!(privateKey instanceof RSAKey priv) || !(publicKey instanceof RSAPublicKey pub)) {
                return false;
            }
            boolean sameExponent = !(privateKey instanceof RSAPrivateCrtKey crt)
                    || crt.getPublicExponent().equals(pub.getPublicExponent());
            return priv.getModulus().equals(pub.getModulus()) && sameExponent;
        }
        String algorithm = signatureAlgorithmFor(privateKey.getAlgorithm());
        if (algorithm == null || !privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String signatureAlgorithmFor(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> keyAlgorithm;
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
    }
}
