"""Investment pages: thin views (permission, form, service, redirect), one module per part."""
