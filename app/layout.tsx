import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Provider Console", template: "%s · Provider Console" },
  description: "Register LLM providers, keep their keys safe, and see spend and latency.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
