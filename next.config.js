/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // client-node reads kubeconfig files and runs credential plugins at run time;
  // it is loaded from node_modules as is rather than bundled.
  serverExternalPackages: ['@kubernetes/client-node'],
};

export default nextConfig;
