/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // client-node reads kubeconfig files and runs credential plugins at run time;
  // it is loaded from node_modules as is rather than bundled.
  // PGlite reads its WebAssembly and data files next to its own module (lib/store).
  serverExternalPackages: ['@kubernetes/client-node', '@electric-sql/pglite'],
};

export default nextConfig;
